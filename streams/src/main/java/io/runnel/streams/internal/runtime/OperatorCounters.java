package io.runnel.streams.internal.runtime;

/**
 * One operator instance's counters. The task thread increments the plain fields (no locks, no
 * atomics on the record path) and copies them to the volatile ones once per loop iteration with
 * {@link #publish()}; metric readers on other threads see those.
 */
public final class OperatorCounters {

    public final String name;
    public long in;
    public long out;
    public long late;
    public long deadLettered;
    public long watermark = Long.MIN_VALUE;

    private volatile long publishedIn;
    private volatile long publishedOut;
    private volatile long publishedLate;
    private volatile long publishedDeadLettered;
    private volatile long publishedWatermark = Long.MIN_VALUE;

    public OperatorCounters(String name) {
        this.name = name;
    }

    /** Makes the current values visible to other threads; called by the task thread. */
    public void publish() {
        publishedIn = in;
        publishedOut = out;
        publishedLate = late;
        publishedDeadLettered = deadLettered;
        publishedWatermark = watermark;
    }

    public long publishedIn() {
        return publishedIn;
    }

    public long publishedOut() {
        return publishedOut;
    }

    public long publishedLate() {
        return publishedLate;
    }

    public long publishedDeadLettered() {
        return publishedDeadLettered;
    }

    public long publishedWatermark() {
        return publishedWatermark;
    }
}
