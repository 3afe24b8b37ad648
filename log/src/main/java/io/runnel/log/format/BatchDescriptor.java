package io.runnel.log.format;

/**
 * The layout of a record batch, the unit of writing, checksumming and reading. Every byte is
 * described here once; no other class hard-codes an offset. All integers are big-endian.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 CRC32C of bytes [4, batchLength)               |  0
 *  +---------------------------------------------------------------+
 *  |                 batchLength (whole batch, header included)     |  4
 *  +---------------------------------------------------------------+
 *  |                 baseOffset (int64)                             |  8
 *  |                                                                |
 *  +---------------+---------------+-------------------------------+
 *  |  magic (=1)   |  attributes   |  lastOffsetDelta (int32) ...   | 16
 *  +---------------+---------------+-------------------------------+
 *  |  ... lastOffsetDelta          |  recordCount (int32) ...       | 20
 *  +-------------------------------+-------------------------------+
 *  |  ... recordCount              |  firstTimestamp (int64) ...    | 24
 *  +-------------------------------+                                |
 *  |                                                                |
 *  +-------------------------------+-------------------------------+
 *  |  ... firstTimestamp           |  maxTimestamp (int64) ...      | 32
 *  +-------------------------------+                                |
 *  |                                                                |
 *  +-------------------------------+-------------------------------+
 *  |  ... maxTimestamp             |  appendTime (int64) ...        | 40
 *  +-------------------------------+                                |
 *  |                                                                |
 *  +-------------------------------+-------------------------------+
 *  |  ... appendTime               |  producerId (int64) ...        | 48
 *  +-------------------------------+                                |
 *  |                                                                |
 *  +-------------------------------+-------------------------------+
 *  |  ... producerId               |  baseSequence (int64) ...      | 56
 *  +-------------------------------+                                |
 *  |                                                                |
 *  +-------------------------------+-------------------------------+
 *  |  ... baseSequence             |  records ...                   | 64
 *  +-------------------------------+-------------------------------+
 * </pre>
 *
 * <ul>
 *   <li>The CRC covers everything after itself, so the length, the base offset and the whole
 *       header are protected (Kafka's v2 CRC leaves the length and base offset out).</li>
 *   <li>{@code baseOffset} is checked against the offset recovery expects, so a stale but valid
 *       batch left in a reused file is rejected.</li>
 *   <li>attributes: bits 0-2 compression ({@code 0} none, {@code 1} LZ4, {@code 2} ZSTD); bits 3-7
 *       are zero.</li>
 *   <li>{@code lastOffsetDelta}: the batch covers offsets {@code [baseOffset, baseOffset +
 *       lastOffsetDelta]}. Equal to {@code recordCount - 1} when appended; after compaction a batch
 *       may hold fewer records than it covers (recordCount may even be 0), so offsets stay
 *       contiguous from batch to batch.</li>
 *   <li>{@code appendTime}: the log's clock when the batch was written; retention ages segments
 *       by it, not by record timestamps.</li>
 *   <li>{@code producerId}, {@code baseSequence}: {@code -1} for plain producers; for an
 *       idempotent producer the records carry sequences {@code baseSequence + i}.</li>
 *   <li>records: {@code recordCount} records as {@link RecordDescriptor} describes. When
 *       compressed, the records region is a 4-byte uncompressed length followed by the compressed
 *       bytes.</li>
 * </ul>
 */
public final class BatchDescriptor {
    private BatchDescriptor() {
    }

    public static final int CRC_OFFSET = 0;
    public static final int LENGTH_OFFSET = 4;
    public static final int BASE_OFFSET_OFFSET = 8;
    public static final int MAGIC_OFFSET = 16;
    public static final int ATTRIBUTES_OFFSET = 17;
    public static final int LAST_OFFSET_DELTA_OFFSET = 18;
    public static final int RECORD_COUNT_OFFSET = 22;
    public static final int FIRST_TIMESTAMP_OFFSET = 26;
    public static final int MAX_TIMESTAMP_OFFSET = 34;
    public static final int APPEND_TIME_OFFSET = 42;
    public static final int PRODUCER_ID_OFFSET = 50;
    public static final int BASE_SEQUENCE_OFFSET = 58;
    /** Bytes before the records; also the smallest legal batch. */
    public static final int HEADER_LENGTH = 66;
    /** First byte covered by the CRC. */
    public static final int CRC_START = LENGTH_OFFSET;

    public static final byte MAGIC = 1;
    public static final int COMPRESSION_MASK = 0x07;
    /** Producer id and sequence of batches from plain (non-idempotent) producers. */
    public static final long NO_PRODUCER = -1L;

    /** Size of the uncompressed-length prefix of a compressed records region. */
    public static final int UNCOMPRESSED_LENGTH_SIZE = 4;
}
