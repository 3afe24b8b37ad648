package io.runnel.connectors.file;

/**
 * Decodes one line of a file into a record. A format with a header (CSV) reads the file's first
 * line with {@link #header} and gets it back on every {@link #decode}.
 *
 * @param <T> the record type
 */
interface LineFormat<T> {

    /** Whether the first line is a header, not a record. */
    boolean hasHeader();

    /** Parses the header line; only called when {@link #hasHeader()}. */
    Object header(byte[] line, int offset, int length) throws Exception;

    /** Decodes one line (without its line terminator); throws on malformed input. */
    T decode(byte[] line, int offset, int length, Object header) throws Exception;
}
