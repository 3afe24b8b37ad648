package io.runnel.benchmarks.latency;

import io.runnel.benchmarks.CheckFailedException;
import java.nio.ByteBuffer;
import java.util.BitSet;

/**
 * The receiving side of a latency test: each record value carries its sequence number and its
 * intended send time ({@link #value}); the probe records the latency of those intended after the
 * warm-up and checks that every record arrives exactly once. Not thread-safe: one receiving
 * thread, then {@link #verify} after joining it.
 */
public final class LatencyProbe {

    private final long total;
    private final long measureStartNanos;
    private final BitSet received;
    private final LatencyRecorder recorder = new LatencyRecorder();
    private long count;
    private long duplicates;
    private long measured;

    /** Expects sequence numbers {@code 0 .. total-1}; latencies count from {@code measureStartNanos}. */
    public LatencyProbe(long total, long measureStartNanos) {
        if (total < 0 || total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("total must be in [0, 2^31), got " + total);
        }
        this.total = total;
        this.measureStartNanos = measureStartNanos;
        this.received = new BitSet((int) total);
    }

    /** A record value of {@code sizeBytes} (at least 16) carrying {@code seq} and {@code intendedNanos}. */
    public static byte[] value(int sizeBytes, long seq, long intendedNanos) {
        byte[] value = new byte[sizeBytes];
        ByteBuffer.wrap(value).putLong(0, seq).putLong(8, intendedNanos);
        return value;
    }

    /** Takes one received value at {@code nowNanos}. */
    public void receive(byte[] value, long nowNanos) {
        ByteBuffer buf = ByteBuffer.wrap(value);
        long seq = buf.getLong(0);
        long intended = buf.getLong(8);
        if (seq < 0 || seq >= total || received.get((int) seq)) {
            duplicates++;
            return;
        }
        received.set((int) seq);
        count++;
        if (intended >= measureStartNanos) {
            recorder.record(intended, nowNanos);
            measured++;
        }
    }

    /** Whether every record has arrived. */
    public boolean complete() {
        return count == total;
    }

    public LatencyRecorder recorder() {
        return recorder;
    }

    /** Records whose latency counts (intended after the warm-up). */
    public long measured() {
        return measured;
    }

    /** @throws CheckFailedException unless every record arrived exactly once */
    public void verify() {
        if (count != total || duplicates != 0) {
            throw new CheckFailedException("received " + count + " distinct of " + total + " records, " + duplicates
                    + " duplicate or unknown");
        }
    }
}
