package io.runnel.connectors;

/**
 * Where connectors get the time and how they wait. Injected so tests control time; the system one
 * sleeps for real. Implementations are thread-safe.
 */
public interface TimeSource {

    /** A monotonic clock in nanoseconds, for measuring intervals and pacing. */
    long nanoTime();

    /** Wall-clock time in epoch milliseconds, for record timestamps. */
    long epochMillis();

    /** Waits {@code nanos} nanoseconds (or until interrupted); never busy-spins. */
    void sleepNanos(long nanos) throws InterruptedException;

    /** The real clock. */
    static TimeSource system() {
        return SystemTimeSource.INSTANCE;
    }
}

/** The real clock: {@link System#nanoTime()}, {@link System#currentTimeMillis()}, parking sleep. */
enum SystemTimeSource implements TimeSource {
    INSTANCE;

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public long epochMillis() {
        return System.currentTimeMillis();
    }

    @Override
    public void sleepNanos(long nanos) throws InterruptedException {
        if (nanos > 0) {
            java.util.concurrent.TimeUnit.NANOSECONDS.sleep(nanos);
        }
    }
}
