package io.runnel.log.format;

/**
 * The layout of one record inside a batch's records region. Variable-length integers are
 * zig-zag varints (as in protobuf and Kafka's v2 records); lengths of {@code -1} mean null.
 *
 * <pre>
 *  length            varint   bytes of this record after this field
 *  timestampDelta    varlong  timestamp - batch firstTimestamp
 *  offsetDelta       varint   offset - batch baseOffset
 *  keyLength         varint   -1 for a null key
 *  key               bytes
 *  valueLength       varint   -1 for a null value (a tombstone)
 *  value             bytes
 *  headerCount       varint
 *  headers           headerCount times:
 *    headerKeyLength   varint   (>= 0)
 *    headerKey         UTF-8 bytes
 *    headerValueLength varint   -1 for null
 *    headerValue       bytes
 * </pre>
 */
public final class RecordDescriptor {
    private RecordDescriptor() {
    }

    /** Most bytes a varint (32-bit) takes. */
    public static final int MAX_VARINT_BYTES = 5;
    /** Most bytes a varlong (64-bit) takes. */
    public static final int MAX_VARLONG_BYTES = 10;
    /** Upper bound of a record's fixed-width overhead (length, deltas, key/value lengths, header count). */
    public static final int MAX_RECORD_OVERHEAD = MAX_VARINT_BYTES + MAX_VARLONG_BYTES + 4 * MAX_VARINT_BYTES;
}
