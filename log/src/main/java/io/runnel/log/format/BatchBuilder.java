package io.runnel.log.format;

import static io.runnel.log.format.BatchDescriptor.*;

import io.runnel.log.Compression;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Encodes records into one batch, reusing its buffers (no allocation in steady state once they
 * have grown to the working size). Not thread-safe: one builder per writer.
 *
 * <p>Use: {@link #reset}, then {@link #append} per record, then {@link #build} which returns a
 * view of the finished batch valid until the next {@code reset}.
 */
public final class BatchBuilder {
    private final CRC32C crc = new CRC32C();
    private byte[] buf = new byte[64 * 1024];
    private byte[] compressed = new byte[0];
    private int pos;
    private long baseOffset;
    private long producerId;
    private long baseSequence;
    private int count;
    private int lastOffsetDelta;
    private long firstTimestamp;
    private long maxTimestamp;

    /** Starts an empty batch at {@code baseOffset}. */
    public void reset(long baseOffset, long producerId, long baseSequence) {
        this.baseOffset = baseOffset;
        this.producerId = producerId;
        this.baseSequence = baseSequence;
        this.count = 0;
        this.lastOffsetDelta = -1;
        this.pos = HEADER_LENGTH;
    }

    public int recordCount() {
        return count;
    }

    public long baseOffset() {
        return baseOffset;
    }

    public long producerId() {
        return producerId;
    }

    public long baseSequence() {
        return baseSequence;
    }

    /** The next offset this batch would assign. */
    public long nextOffset() {
        return baseOffset + lastOffsetDelta + 1;
    }

    /** Bytes the batch has now (uncompressed). */
    public int sizeInBytes() {
        return pos;
    }

    /** Upper bound of the bytes one record adds. */
    public static int recordSizeUpperBound(byte[] key, byte[] value, byte[] encodedHeaders) {
        return RecordDescriptor.MAX_RECORD_OVERHEAD + (key == null ? 0 : key.length)
                + (value == null ? 0 : value.length) + (encodedHeaders == null ? 1 : encodedHeaders.length);
    }

    /**
     * Appends a record at the next offset.
     *
     * @param encodedHeaders headers as {@link HeadersCodec#encode} made them (count included), or
     *                       null for none
     * @return the record's offset
     */
    public long append(long timestampMs, byte[] key, byte[] value, byte[] encodedHeaders) {
        return appendAt(lastOffsetDelta + 1, timestampMs, key, value, 0, value == null ? -1 : value.length,
                encodedHeaders);
    }

    /**
     * Appends a record at {@code offsetDelta} (greater than the previous one; compaction leaves
     * gaps), value taken from {@code value[valueOff, valueOff+valueLen)} ({@code valueLen=-1}: null).
     */
    public long appendAt(int offsetDelta, long timestampMs, byte[] key, byte[] value, int valueOff, int valueLen,
            byte[] encodedHeaders) {
        if (count == 0) {
            firstTimestamp = timestampMs;
            maxTimestamp = timestampMs;
        } else if (timestampMs > maxTimestamp) {
            maxTimestamp = timestampMs;
        }
        long tsDelta = timestampMs - firstTimestamp;
        int keyLen = key == null ? -1 : key.length;
        int bodyLen = Varint.sizeOfLong(tsDelta) + Varint.sizeOfInt(offsetDelta) + Varint.sizeOfInt(keyLen)
                + Math.max(keyLen, 0) + Varint.sizeOfInt(valueLen) + Math.max(valueLen, 0)
                + (encodedHeaders == null ? 1 : encodedHeaders.length);
        ensure(pos + RecordDescriptor.MAX_VARINT_BYTES + bodyLen);
        byte[] b = buf;
        int p = Varint.writeInt(b, pos, bodyLen);
        p = Varint.writeLong(b, p, tsDelta);
        p = Varint.writeInt(b, p, offsetDelta);
        p = Varint.writeInt(b, p, keyLen);
        if (keyLen > 0) {
            System.arraycopy(key, 0, b, p, keyLen);
            p += keyLen;
        }
        p = Varint.writeInt(b, p, valueLen);
        if (valueLen > 0) {
            System.arraycopy(value, valueOff, b, p, valueLen);
            p += valueLen;
        }
        if (encodedHeaders == null) {
            b[p++] = 0; // varint 0: no headers
        } else {
            System.arraycopy(encodedHeaders, 0, b, p, encodedHeaders.length);
            p += encodedHeaders.length;
        }
        pos = p;
        count++;
        lastOffsetDelta = offsetDelta;
        return baseOffset + offsetDelta;
    }

    /** Makes the batch cover offsets up to {@code lastOffsetDelta} even if its last records were removed (compaction). */
    public void coverUpTo(int lastOffsetDelta) {
        if (lastOffsetDelta < this.lastOffsetDelta) {
            throw new IllegalArgumentException("lastOffsetDelta " + lastOffsetDelta + " < " + this.lastOffsetDelta);
        }
        this.lastOffsetDelta = lastOffsetDelta;
    }

    /**
     * Finishes the batch: header, optional compression, CRC. Returns a read-only view (position 0,
     * limit = batch length), valid until the next {@link #reset}.
     */
    public ByteBuffer build(long appendTimeMs, Compression compression) {
        byte[] out = buf;
        int length = pos;
        if (compression != Compression.NONE && count > 0) {
            int raw = pos - HEADER_LENGTH;
            int bound = HEADER_LENGTH + UNCOMPRESSED_LENGTH_SIZE + Codec.maxCompressedLength(compression, raw);
            if (compressed.length < bound) {
                compressed = new byte[bound];
            }
            int n = Codec.compress(compression, buf, HEADER_LENGTH, raw, compressed,
                    HEADER_LENGTH + UNCOMPRESSED_LENGTH_SIZE);
            ByteBuffer.wrap(compressed).putInt(HEADER_LENGTH, raw);
            out = compressed;
            length = HEADER_LENGTH + UNCOMPRESSED_LENGTH_SIZE + n;
        }
        ByteBuffer bb = ByteBuffer.wrap(out);
        bb.putInt(LENGTH_OFFSET, length);
        bb.putLong(BASE_OFFSET_OFFSET, baseOffset);
        bb.put(MAGIC_OFFSET, MAGIC);
        bb.put(ATTRIBUTES_OFFSET, (byte) (count > 0 ? compression.id() : 0));
        bb.putInt(LAST_OFFSET_DELTA_OFFSET, lastOffsetDelta);
        bb.putInt(RECORD_COUNT_OFFSET, count);
        bb.putLong(FIRST_TIMESTAMP_OFFSET, count > 0 ? firstTimestamp : appendTimeMs);
        bb.putLong(MAX_TIMESTAMP_OFFSET, count > 0 ? maxTimestamp : appendTimeMs);
        bb.putLong(APPEND_TIME_OFFSET, appendTimeMs);
        bb.putLong(PRODUCER_ID_OFFSET, producerId);
        bb.putLong(BASE_SEQUENCE_OFFSET, baseSequence);
        crc.reset();
        crc.update(out, CRC_START, length - CRC_START);
        bb.putInt(CRC_OFFSET, (int) crc.getValue());
        bb.limit(length);
        return bb.asReadOnlyBuffer();
    }

    /** The max timestamp of the records appended so far. */
    public long maxTimestamp() {
        return maxTimestamp;
    }

    private void ensure(int size) {
        if (size > buf.length) {
            byte[] n = new byte[Math.max(size, buf.length * 2)];
            System.arraycopy(buf, 0, n, 0, pos);
            buf = n;
        }
    }
}
