package io.runnel.streams;

import com.google.common.base.Preconditions;
import java.time.Duration;
import java.util.Objects;

/**
 * Which events of two keyed streams join: those of the same key at most {@code within} apart in
 * event time ({@code |tLeft - tRight| <= within}). Immutable.
 */
public final class JoinWindow {

    private final long withinMs;
    private final long allowedLatenessMs;

    private JoinWindow(long withinMs, long allowedLatenessMs) {
        this.withinMs = withinMs;
        this.allowedLatenessMs = allowedLatenessMs;
    }

    /** Events at most {@code within} apart (0 joins equal timestamps only). */
    public static JoinWindow within(Duration within) {
        Objects.requireNonNull(within, "within");
        Preconditions.checkArgument(!within.isNegative(), "join window must not be negative, was %s", within);
        return new JoinWindow(within.toMillis(), 0);
    }

    /** Accepts events with time >= watermark - lateness instead of >= watermark (buffers are kept longer). */
    public JoinWindow withAllowedLateness(Duration lateness) {
        Objects.requireNonNull(lateness, "lateness");
        Preconditions.checkArgument(!lateness.isNegative(), "allowed lateness must not be negative, was %s", lateness);
        return new JoinWindow(withinMs, lateness.toMillis());
    }

    public long withinMs() {
        return withinMs;
    }

    public long allowedLatenessMs() {
        return allowedLatenessMs;
    }
}
