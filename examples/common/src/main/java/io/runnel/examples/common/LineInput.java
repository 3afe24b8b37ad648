package io.runnel.examples.common;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.function.Supplier;

/**
 * Where an example's input lines come from: a file, or a deterministic generator (the demo). Read
 * from the start every time, always giving the same lines, so ingestion can resume by line.
 */
public interface LineInput {

    /** Receives lines. */
    @FunctionalInterface
    interface LineHandler {
        /**
         * One non-blank line: {@code length} bytes of {@code buffer} (valid only during the call),
         * or, when {@code tooLong}, its first {@link InputLine#KEPT_OF_LONG_LINE} bytes.
         */
        void line(long lineNumber, byte[] buffer, int length, boolean tooLong) throws IOException;
    }

    /** The input's name in dead letters and messages: {@code events.jsonl} in {@code events.jsonl:17}. */
    String name();

    /**
     * What identifies the content (for a file: its size and a CRC32C of its bytes, so the same file
     * moved elsewhere is still the same input); may read the whole input.
     */
    String identity() throws IOException;

    /**
     * Calls {@code handler} for every non-blank line, in order, with its 1-based line number. A line
     * ends at {@code \n} ({@code \r\n} is accepted); a last line without one is a line too.
     */
    void read(LineHandler handler) throws IOException;

    /** The lines of {@code file}. */
    static LineInput file(Path file) {
        return new FileLineInput(file);
    }

    /** Generated lines: {@code lines} must give the same lines every time; {@code identity} names the generator and its settings. */
    static LineInput generated(String name, String identity, Supplier<Iterator<String>> lines) {
        return new GeneratedLineInput(name, identity, lines);
    }
}
