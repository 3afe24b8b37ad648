package io.runnel.connectors;

import java.util.concurrent.atomic.AtomicLong;

/** A {@link TimeSource} tests move by hand; {@code sleepNanos} advances it instead of waiting. */
public final class ManualTimeSource implements TimeSource {
    private final AtomicLong nanos = new AtomicLong();
    private final AtomicLong sleptNanos = new AtomicLong();
    private final long epochOffsetMs;

    public ManualTimeSource(long startEpochMs) {
        this.epochOffsetMs = startEpochMs;
    }

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    @Override
    public long epochMillis() {
        return epochOffsetMs + nanos.get() / 1_000_000;
    }

    @Override
    public void sleepNanos(long nanos) {
        if (nanos > 0) {
            this.nanos.addAndGet(nanos);
            sleptNanos.addAndGet(nanos);
        }
    }

    public void advanceNanos(long delta) {
        nanos.addAndGet(delta);
    }

    /** The total time callers asked to sleep. */
    public long sleptNanos() {
        return sleptNanos.get();
    }
}
