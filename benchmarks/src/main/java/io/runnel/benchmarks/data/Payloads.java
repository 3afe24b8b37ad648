package io.runnel.benchmarks.data;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The fixed-size record values of the log benchmarks: value {@code i} is a deterministic function
 * of the seed and i, so a reader can check what it read by an order-independent checksum (the sum
 * of every value's {@link #hash}) without keeping the values. Thread-safe (immutable).
 */
public final class Payloads {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BUFFER_LONGS =
            MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final long seed;
    private final int sizeBytes;

    public Payloads(long seed, int sizeBytes) {
        if (sizeBytes < 8) {
            throw new IllegalArgumentException("payload size must be at least 8 bytes, got " + sizeBytes);
        }
        this.seed = seed;
        this.sizeBytes = sizeBytes;
    }

    public int sizeBytes() {
        return sizeBytes;
    }

    /** A new array holding value {@code index}. */
    public byte[] value(long index) {
        byte[] out = new byte[sizeBytes];
        fill(index, out);
        return out;
    }

    /** Writes value {@code index} into {@code dst[0..sizeBytes)}. */
    public void fill(long index, byte[] dst) {
        long state = SplitMix.mix(seed, index, 7);
        int i = 0;
        for (; i + 8 <= sizeBytes; i += 8) {
            state = SplitMix.mix(state);
            LONGS.set(dst, i, state);
        }
        long last = SplitMix.mix(state);
        for (; i < sizeBytes; i++) {
            dst[i] = (byte) last;
            last >>>= 8;
        }
    }

    /** The sum of the hashes of values 0 .. count-1: what a reader of all of them must find. */
    public long expectedChecksum(long count) {
        byte[] buf = new byte[sizeBytes];
        long sum = 0;
        for (long i = 0; i < count; i++) {
            fill(i, buf);
            sum += hash(buf, 0, sizeBytes);
        }
        return sum;
    }

    /**
     * A 64-bit content hash of {@code bytes[offset..offset+length)}: a Fletcher sum over 64-bit
     * words (a running sum and a sum of running sums, so a changed, missing or swapped word changes
     * it), mixed once at the end. Cheap on purpose: it runs once per record read, and a hash with a
     * full mix per word cost more than the log's own read path and hid the systems being compared.
     */
    public static long hash(byte[] bytes, int offset, int length) {
        long a = length;
        long b = 0;
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            a += (long) LONGS.get(bytes, offset + i);
            b += a;
        }
        for (; i < length; i++) {
            a += bytes[offset + i] & 0xFF;
            b += a;
        }
        return SplitMix.mix(a ^ SplitMix.mix(b));
    }

    /**
     * {@link #hash(byte[], int, int)} of {@code buf[offset..offset+length)} (absolute indexes, heap
     * or direct), for readers that read values in place.
     */
    public static long hash(ByteBuffer buf, int offset, int length) {
        long a = length;
        long b = 0;
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            a += (long) BUFFER_LONGS.get(buf, offset + i);
            b += a;
        }
        for (; i < length; i++) {
            a += buf.get(offset + i) & 0xFF;
            b += a;
        }
        return SplitMix.mix(a ^ SplitMix.mix(b));
    }

    /** Hash of a whole array. */
    public static long hash(byte[] bytes) {
        return hash(bytes, 0, bytes.length);
    }
}
