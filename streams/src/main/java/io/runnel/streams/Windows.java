package io.runnel.streams;

import com.google.common.base.Preconditions;
import java.time.Duration;
import java.util.Objects;

/**
 * A window specification: tumbling, hopping or session, with options. Immutable; {@code withX}
 * returns a new instance. Times are epoch milliseconds, windows aligned to the epoch.
 *
 * <ul>
 *   <li>Tumbling (size S): {@code [k*S, (k+1)*S)}.</li>
 *   <li>Hopping (size S, advance A): {@code [k*A, k*A+S)}; an event belongs to S/A windows.</li>
 *   <li>Session (gap G), per key: events of a key at most G apart form one session, reported as
 *       {@code [first event, last event + G]}.</li>
 * </ul>
 * A time window fires once when the watermark W reaches its end (W >= end); a session when W passes
 * its end (W > end). Events with time < W - allowedLateness are late and go to
 * {@link AggregatedStream#lateEvents()}; see docs/SEMANTICS.md for the precise rules.
 */
public final class Windows {

    /** The kind of window. */
    public enum Kind { TUMBLING, HOPPING, SESSION }

    private final Kind kind;
    private final long sizeMs;
    private final long advanceMs;
    private final long gapMs;
    private final long allowedLatenessMs;
    private final long earlyUpdateIntervalMs;
    private final boolean processingTime;

    private Windows(Kind kind, long sizeMs, long advanceMs, long gapMs, long allowedLatenessMs,
                    long earlyUpdateIntervalMs, boolean processingTime) {
        this.kind = kind;
        this.sizeMs = sizeMs;
        this.advanceMs = advanceMs;
        this.gapMs = gapMs;
        this.allowedLatenessMs = allowedLatenessMs;
        this.earlyUpdateIntervalMs = earlyUpdateIntervalMs;
        this.processingTime = processingTime;
    }

    /** Fixed, non-overlapping windows of {@code size} (at least 1 ms). */
    public static Windows tumbling(Duration size) {
        long s = positiveMs(size, "size");
        return new Windows(Kind.TUMBLING, s, s, 0, 0, 0, false);
    }

    /** Overlapping windows of {@code size} starting every {@code advance}; size must be a multiple of advance. */
    public static Windows hopping(Duration size, Duration advance) {
        long s = positiveMs(size, "size");
        long a = positiveMs(advance, "advance");
        Preconditions.checkArgument(a <= s && s % a == 0,
                "hopping windows need size to be a multiple of advance: size=%sms, advance=%sms", s, a);
        return new Windows(s == a ? Kind.TUMBLING : Kind.HOPPING, s, a, 0, 0, 0, false);
    }

    /** Per-key sessions closed by {@code gap} of inactivity; aggregations over sessions need a merge function. */
    public static Windows session(Duration gap) {
        return new Windows(Kind.SESSION, 0, 0, positiveMs(gap, "gap"), 0, 0, false);
    }

    /**
     * Keeps each window's state for {@code lateness} after it fired: events with time >= W - lateness
     * still update it and re-emit its result as {@link WindowResult.Kind#LATE_UPDATE}.
     */
    public Windows withAllowedLateness(Duration lateness) {
        Objects.requireNonNull(lateness, "lateness");
        Preconditions.checkArgument(!lateness.isNegative(), "allowed lateness must not be negative, was %s", lateness);
        return new Windows(kind, sizeMs, advanceMs, gapMs, lateness.toMillis(), earlyUpdateIntervalMs, processingTime);
    }

    /**
     * Also emits {@link WindowResult.Kind#EARLY} results before a window closes: every {@code interval}
     * of processing time, for each open window whose result changed since its last emission.
     */
    public Windows withEarlyUpdates(Duration interval) {
        return new Windows(kind, sizeMs, advanceMs, gapMs, allowedLatenessMs, positiveMs(interval, "interval"), processingTime);
    }

    /**
     * Processing-time windows: events are assigned by the job clock when they reach the window, and
     * windows fire when the clock passes their end; nothing is late.
     */
    public Windows inProcessingTime() {
        return new Windows(kind, sizeMs, advanceMs, gapMs, 0, earlyUpdateIntervalMs, true);
    }

    private static long positiveMs(Duration d, String what) {
        Objects.requireNonNull(d, what);
        Preconditions.checkArgument(d.toMillis() > 0, "window %s must be at least 1 ms, was %s", what, d);
        return d.toMillis();
    }

    public Kind kind() {
        return kind;
    }

    public long sizeMs() {
        return sizeMs;
    }

    public long advanceMs() {
        return advanceMs;
    }

    public long gapMs() {
        return gapMs;
    }

    public long allowedLatenessMs() {
        return allowedLatenessMs;
    }

    /** 0 when early updates are off. */
    public long earlyUpdateIntervalMs() {
        return earlyUpdateIntervalMs;
    }

    public boolean isProcessingTime() {
        return processingTime;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        switch (kind) {
            case TUMBLING -> b.append("tumbling(").append(Duration.ofMillis(sizeMs)).append(')');
            case HOPPING -> b.append("hopping(").append(Duration.ofMillis(sizeMs)).append(", ")
                    .append(Duration.ofMillis(advanceMs)).append(')');
            case SESSION -> b.append("session(").append(Duration.ofMillis(gapMs)).append(')');
        }
        if (processingTime) {
            b.append(".inProcessingTime()");
        }
        if (allowedLatenessMs > 0) {
            b.append(".withAllowedLateness(").append(Duration.ofMillis(allowedLatenessMs)).append(')');
        }
        if (earlyUpdateIntervalMs > 0) {
            b.append(".withEarlyUpdates(").append(Duration.ofMillis(earlyUpdateIntervalMs)).append(')');
        }
        return b.toString();
    }
}
