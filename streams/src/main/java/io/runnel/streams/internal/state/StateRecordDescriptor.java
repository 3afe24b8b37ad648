package io.runnel.streams.internal.state;

/**
 * The byte layout of a key-group file: the on-disk part of one keyed state's key group when a job
 * keeps state on disk ({@code JobConfig.withStateMemoryLimit}). Big-endian.
 *
 * <pre>
 * file      0  int    magic 0x524E4B47 ("RNKG")
 *           4  int    version (1)
 *           8  ...    records, back to back
 *
 * record    0  int    n: length of the rest of the record (after this field), at least 25
 *           4  int    CRC32C of those n bytes
 *           8  byte   kind: 1 = value, 2 = tombstone
 *           9  int    hash: the key's KeyGroups.hash (its hashCode; an enum's name's)
 *          13  long   prev: offset of the record of the same key that this one replaces (a value) or
 *                     removes (a tombstone); -1 when the key had no record in this file
 *          21  long   touched: when the entry was last used, epoch ms of the job clock (time-to-live)
 *          29  ...    value: the key then the value, each Kryo class and object; tombstone: nothing
 * </pre>
 *
 * A file only grows; a record never changes once written. Which record holds a key's current value
 * follows from the prev links alone, so rebuilding the index of a file needs no key comparisons:
 * a value with prev -1 adds a key, a value with prev p moves the key from p, a tombstone with prev p
 * removes it. A checkpoint refers to a file up to a length; compaction writes the live records to a
 * new file (the next generation) with prev -1.
 */
public final class StateRecordDescriptor {

    public static final int FILE_MAGIC = 0x524E4B47;
    public static final int FILE_VERSION = 1;
    public static final int FILE_HEADER_LENGTH = 8;

    public static final int LENGTH_OFFSET = 0;
    public static final int CRC_OFFSET = 4;
    public static final int KIND_OFFSET = 8;
    public static final int HASH_OFFSET = 9;
    public static final int PREV_OFFSET = 13;
    public static final int TOUCHED_OFFSET = 21;
    public static final int PAYLOAD_OFFSET = 29;

    /** Bytes before the length-counted part: the length and the CRC. */
    public static final int FRAME_LENGTH = 8;
    /** The smallest n: kind, hash, prev and touched. */
    public static final int MIN_LENGTH = PAYLOAD_OFFSET - FRAME_LENGTH;
    /** The largest n accepted when reading: a bigger length is damage, not data. */
    public static final int MAX_LENGTH = 1 << 30;

    public static final byte KIND_VALUE = 1;
    public static final byte KIND_TOMBSTONE = 2;

    private StateRecordDescriptor() {
    }
}
