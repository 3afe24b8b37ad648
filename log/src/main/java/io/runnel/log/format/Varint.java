package io.runnel.log.format;

import io.runnel.log.CorruptRecordException;
import java.nio.ByteBuffer;

/**
 * Zig-zag variable-length integers. Writers work on byte arrays and return the next write index;
 * readers work on byte buffers, keep their position in a {@link VarintReader} and throw
 * {@link CorruptRecordException} (only) on a malformed or truncated value.
 */
public final class Varint {
    private Varint() {
    }

    /** Bytes {@link #writeInt} needs for {@code v}. */
    public static int sizeOfInt(int v) {
        int z = (v << 1) ^ (v >> 31);
        int n = 1;
        while ((z & ~0x7F) != 0) {
            n++;
            z >>>= 7;
        }
        return n;
    }

    /** Bytes {@link #writeLong} needs for {@code v}. */
    public static int sizeOfLong(long v) {
        long z = (v << 1) ^ (v >> 63);
        int n = 1;
        while ((z & ~0x7FL) != 0) {
            n++;
            z >>>= 7;
        }
        return n;
    }

    public static int writeInt(byte[] buf, int pos, int v) {
        int z = (v << 1) ^ (v >> 31);
        while ((z & ~0x7F) != 0) {
            buf[pos++] = (byte) ((z & 0x7F) | 0x80);
            z >>>= 7;
        }
        buf[pos++] = (byte) z;
        return pos;
    }

    public static int writeLong(byte[] buf, int pos, long v) {
        long z = (v << 1) ^ (v >> 63);
        while ((z & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((z & 0x7F) | 0x80);
            z >>>= 7;
        }
        buf[pos++] = (byte) z;
        return pos;
    }

    /**
     * A cursor over a byte range of a {@link ByteBuffer} (heap or direct) reading
     * varints and raw bytes with bounds checks. Reads are absolute: the buffer's position is not
     * used, its limit bounds every read.
     */
    public static final class VarintReader {
        private ByteBuffer buf;
        private int pos;
        private int limit;

        public void reset(ByteBuffer buf, int pos, int limit) {
            this.buf = buf;
            this.pos = pos;
            this.limit = limit;
        }

        public int position() {
            return pos;
        }

        public int limit() {
            return limit;
        }

        public void limit(int limit) {
            this.limit = limit;
        }

        public ByteBuffer buffer() {
            return buf;
        }

        public int readInt() {
            int p = pos;
            if (p < limit) {
                int z = buf.get(p);
                if (z >= 0) { // one byte: most lengths, deltas and counts
                    pos = p + 1;
                    return (z >>> 1) ^ -(z & 1);
                }
            }
            return readIntSlow();
        }

        private int readIntSlow() {
            int z = 0;
            for (int shift = 0; shift < 35; shift += 7) {
                if (pos >= limit) {
                    throw new CorruptRecordException("truncated varint at index " + pos);
                }
                int b = buf.get(pos++);
                z |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return (z >>> 1) ^ -(z & 1);
                }
            }
            throw new CorruptRecordException("varint longer than 5 bytes at index " + (pos - 5));
        }

        public long readLong() {
            int p = pos;
            if (p < limit) {
                long z = buf.get(p);
                if (z >= 0) {
                    pos = p + 1;
                    return (z >>> 1) ^ -(z & 1);
                }
            }
            return readLongSlow();
        }

        private long readLongSlow() {
            long z = 0;
            for (int shift = 0; shift < 70; shift += 7) {
                if (pos >= limit) {
                    throw new CorruptRecordException("truncated varlong at index " + pos);
                }
                long b = buf.get(pos++);
                z |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return (z >>> 1) ^ -(z & 1);
                }
            }
            throw new CorruptRecordException("varlong longer than 10 bytes at index " + (pos - 10));
        }

        /** Skips {@code n} bytes (a field's body) after checking they are there; returns where they start. */
        public int skip(int n) {
            if (n < 0 || n > limit - pos) {
                throw new CorruptRecordException("field of " + n + " bytes at index " + pos + " overruns its record ("
                        + (limit - pos) + " bytes left)");
            }
            int start = pos;
            pos += n;
            return start;
        }
    }
}
