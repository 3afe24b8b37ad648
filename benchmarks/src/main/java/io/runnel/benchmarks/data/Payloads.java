package io.runnel.benchmarks.data;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The fixed-size record values of the log benchmarks: value {@code i} is a deterministic function
 * of the seed and i, so a reader can check what it read by an order-independent checksum (the sum
 * of every value's {@link #hash}) without keeping the values. Thread-safe (immutable).
 */
public final class Payloads {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

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
     * The content hash of {@code bytes[offset..offset+length)}: its CRC32C, the JDK's
     * hardware-accelerated checksum (a changed byte always changes it; missing or swapped bytes
     * do but for a chance of 2^-32). Cheap on
     * purpose: it runs once per record read, by every system compared, and is the check, not the
     * workload. A Fletcher sum over 64-bit words, used before 2026-12-07, cost 15-27 ns a value
     * (a third of Runnel's time per record on a zero-copy read, a twentieth of Kafka's) and so
     * hid the difference between the systems compared; CRC32C costs 7-11 ns.
     */
    public static long hash(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return crc.getValue();
    }

    /**
     * {@link #hash(byte[], int, int)} of the bytes between {@code buf}'s position and limit (heap
     * or direct), for readers that read values in place; moves the position to the limit.
     */
    public static long hash(ByteBuffer buf) {
        CRC32C crc = new CRC32C();
        crc.update(buf);
        return crc.getValue();
    }

    /** Hash of a whole array. */
    public static long hash(byte[] bytes) {
        return hash(bytes, 0, bytes.length);
    }
}
