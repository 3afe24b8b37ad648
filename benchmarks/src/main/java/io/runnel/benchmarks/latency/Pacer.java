package io.runnel.benchmarks.latency;

import java.util.concurrent.locks.LockSupport;

/**
 * A fixed send schedule: the k-th send is intended at {@code start + k * interval}. Waiting parks
 * rather than spins (two cores are shared with the system under test); if the sender falls behind
 * it sends at once, and the latency measured from the intended time includes the delay. Not
 * thread-safe.
 */
public final class Pacer {

    private final long startNanos;
    private final long intervalNanos;
    private long next;

    public Pacer(long startNanos, long ratePerSecond) {
        if (ratePerSecond <= 0 || ratePerSecond > 1_000_000_000L) {
            throw new IllegalArgumentException("rate must be in 1..10^9 per second, got " + ratePerSecond);
        }
        this.startNanos = startNanos;
        this.intervalNanos = 1_000_000_000L / ratePerSecond;
    }

    /** Waits until the next send is due and returns its intended time (System.nanoTime base). */
    public long awaitNext() {
        long intended = startNanos + next++ * intervalNanos;
        long now;
        while ((now = System.nanoTime()) < intended) {
            long remaining = intended - now;
            if (remaining > 20_000) {
                LockSupport.parkNanos(remaining - 10_000);
            } else {
                Thread.onSpinWait();
            }
        }
        return intended;
    }

    /** Sends scheduled so far. */
    public long scheduled() {
        return next;
    }
}
