package io.runnel.log.format;

import static io.runnel.log.format.BatchDescriptor.*;

import io.runnel.log.CorruptRecordException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * A flyweight over one encoded batch in a byte buffer (heap or direct): header accessors,
 * validation and a record cursor. Reusable ({@link #wrap}); not thread-safe. Header accessors do
 * not validate: call {@link #validate} before trusting them.
 */
public final class RecordBatch {
    private static volatile boolean skipCrc;
    private final CRC32C crc = new CRC32C();
    private ByteBuffer buf;
    private int offset;

    /** Test hook (see {@code TestHooks}): a deliberately broken decoder that ignores the CRC. */
    public static void skipCrcForTesting(boolean on) {
        skipCrc = on;
    }

    /**
     * Points this flyweight at the batch starting at {@code offset} of {@code buf}. Reads are
     * absolute; the buffer's limit is the end of the data.
     */
    public RecordBatch wrap(ByteBuffer buf, int offset) {
        this.buf = buf;
        this.offset = offset;
        return this;
    }

    public int offset() {
        return offset;
    }

    public int batchLength() {
        return buf.getInt(offset + LENGTH_OFFSET);
    }

    public int storedCrc() {
        return buf.getInt(offset + CRC_OFFSET);
    }

    public long baseOffset() {
        return buf.getLong(offset + BASE_OFFSET_OFFSET);
    }

    public byte magic() {
        return buf.get(offset + MAGIC_OFFSET);
    }

    public int attributes() {
        return buf.get(offset + ATTRIBUTES_OFFSET) & 0xFF;
    }

    public int compressionId() {
        return attributes() & COMPRESSION_MASK;
    }

    public int lastOffsetDelta() {
        return buf.getInt(offset + LAST_OFFSET_DELTA_OFFSET);
    }

    /** Last offset the batch covers. */
    public long lastOffset() {
        return baseOffset() + lastOffsetDelta();
    }

    /** The offset right after this batch. */
    public long nextOffset() {
        return baseOffset() + lastOffsetDelta() + 1;
    }

    public int recordCount() {
        return buf.getInt(offset + RECORD_COUNT_OFFSET);
    }

    public long firstTimestamp() {
        return buf.getLong(offset + FIRST_TIMESTAMP_OFFSET);
    }

    public long maxTimestamp() {
        return buf.getLong(offset + MAX_TIMESTAMP_OFFSET);
    }

    public long appendTime() {
        return buf.getLong(offset + APPEND_TIME_OFFSET);
    }

    public long producerId() {
        return buf.getLong(offset + PRODUCER_ID_OFFSET);
    }

    public long baseSequence() {
        return buf.getLong(offset + BASE_SEQUENCE_OFFSET);
    }

    /**
     * Checks the length field alone, before the rest of the batch is read: it must lie in
     * {@code [HEADER_LENGTH, maxBatchLength]}. Needs the first 8 bytes in the buffer.
     */
    public static int checkedLength(ByteBuffer buf, int offset, int maxBatchLength) {
        int len = buf.getInt(offset + LENGTH_OFFSET);
        if (len < HEADER_LENGTH || len > maxBatchLength) {
            throw new CorruptRecordException("batch length " + len + " outside [" + HEADER_LENGTH + ", "
                    + maxBatchLength + "]");
        }
        return len;
    }

    /**
     * Validates the whole batch, which must be in the buffer: length bounds, CRC32C, magic,
     * attributes, counts and offsets.
     *
     * @throws CorruptRecordException on the first violation
     */
    public void validate(int maxBatchLength) {
        if (buf.limit() - offset < HEADER_LENGTH) {
            throw new CorruptRecordException("batch truncated: " + (buf.limit() - offset) + " bytes, header needs "
                    + HEADER_LENGTH);
        }
        int len = checkedLength(buf, offset, maxBatchLength);
        if (len > buf.limit() - offset) {
            throw new CorruptRecordException("batch truncated: length " + len + ", " + (buf.limit() - offset)
                    + " bytes present");
        }
        int computed = crc(offset + CRC_START, len - CRC_START);
        if (computed != storedCrc() && !skipCrc) {
            throw new CorruptRecordException("CRC32C mismatch: stored " + Integer.toHexString(storedCrc())
                    + ", computed " + Integer.toHexString(computed));
        }
        if (magic() != MAGIC) {
            throw new CorruptRecordException("unknown magic " + magic());
        }
        int attrs = attributes();
        if ((attrs & ~COMPRESSION_MASK) != 0 || (attrs & COMPRESSION_MASK) > 2) {
            throw new CorruptRecordException("unknown attributes " + Integer.toBinaryString(attrs));
        }
        int count = recordCount();
        int lastDelta = lastOffsetDelta();
        long base = baseOffset();
        if (count < 0 || lastDelta < 0 || lastDelta < count - 1 || base < 0 || base > Long.MAX_VALUE - lastDelta - 1) {
            throw new CorruptRecordException("inconsistent header: baseOffset=" + base + ", recordCount=" + count
                    + ", lastOffsetDelta=" + lastDelta);
        }
        // Every record takes at least 6 bytes (length, deltas, key and value lengths, header count).
        if (compressionId() == 0 && count > (len - HEADER_LENGTH) / 6) {
            throw new CorruptRecordException("recordCount " + count + " cannot fit in " + (len - HEADER_LENGTH)
                    + " bytes");
        }
    }

    /** CRC32C of {@code buf[from, from+length)}, leaving the buffer's position and limit as they were. */
    private int crc(int from, int length) {
        crc.reset();
        if (buf.hasArray()) {
            crc.update(buf.array(), buf.arrayOffset() + from, length);
        } else {
            int position = buf.position();
            int limit = buf.limit();
            buf.limit(from + length).position(from);
            crc.update(buf); // direct: read in place by the intrinsic, no copy
            buf.limit(limit).position(position);
        }
        return (int) crc.getValue();
    }

    /** Points {@code cursor} at this (validated) batch's records, decompressing if needed. */
    public void records(RecordCursor cursor, int maxBatchLength) {
        int len = batchLength();
        int start = offset + HEADER_LENGTH;
        int end = offset + len;
        int cid = compressionId();
        if (cid != 0) {
            if (len - HEADER_LENGTH < UNCOMPRESSED_LENGTH_SIZE) {
                throw new CorruptRecordException("compressed batch without its uncompressed length");
            }
            int raw = buf.getInt(offset + HEADER_LENGTH);
            if (raw < 0 || raw > maxBatchLength) {
                throw new CorruptRecordException("uncompressed length " + raw + " outside [0, " + maxBatchLength + "]");
            }
            if (recordCount() > raw / 6) {
                throw new CorruptRecordException("recordCount " + recordCount() + " cannot fit in " + raw + " bytes");
            }
            byte[] scratch = cursor.scratch(raw);
            Codec.decompress(cid, buf, start + UNCOMPRESSED_LENGTH_SIZE, end - start - UNCOMPRESSED_LENGTH_SIZE,
                    scratch, raw);
            cursor.reset(cursor.scratchBuffer(), 0, raw, baseOffset(), lastOffsetDelta(), recordCount(),
                    firstTimestamp());
        } else {
            cursor.reset(buf, start, end, baseOffset(), lastOffsetDelta(), recordCount(), firstTimestamp());
        }
    }
}
