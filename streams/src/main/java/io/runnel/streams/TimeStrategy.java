package io.runnel.streams;

import com.google.common.base.Preconditions;
import java.time.Duration;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * How a source's records get their time and how each source split's watermark follows. Immutable.
 *
 * <p>Event time (the default): each record's time comes from a timestamp function, or from the
 * timestamp the source delivers; a split's watermark is the highest time seen there minus the bounded
 * out-of-orderness ({@code -infinity} before its first record). A split that is caught up (no unread
 * records) for longer than the idle timeout stops holding the watermark back until it gets data.
 * Processing time: a record's time is the job clock when it is read, and the watermark is that clock.
 *
 * @param <T> the record type
 */
public final class TimeStrategy<T> {

    /** The idle timeout when none is set. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(10);

    /** Where record times come from. */
    public enum Mode {
        /** A timestamp function over the record. */
        EVENT_TIME,
        /** The timestamp the source delivers with each record (a log record's timestamp). */
        SOURCE_TIME,
        /** The job clock when the record is read. */
        PROCESSING_TIME
    }

    private final Mode mode;
    private final ToLongFunction<? super T> timestampFn;
    private final long maxOutOfOrdernessMs;
    private final long idleTimeoutMs;

    private TimeStrategy(Mode mode, ToLongFunction<? super T> timestampFn, long maxOutOfOrdernessMs, long idleTimeoutMs) {
        this.mode = mode;
        this.timestampFn = timestampFn;
        this.maxOutOfOrdernessMs = maxOutOfOrdernessMs;
        this.idleTimeoutMs = idleTimeoutMs;
    }

    /**
     * Event time from {@code timestampMs} (epoch milliseconds) with events at most
     * {@code maxOutOfOrderness} older than the newest seen in their split.
     */
    public static <T> TimeStrategy<T> eventTime(ToLongFunction<? super T> timestampMs, Duration maxOutOfOrderness) {
        Objects.requireNonNull(timestampMs, "timestampMs");
        return new TimeStrategy<>(Mode.EVENT_TIME, timestampMs, checkBound(maxOutOfOrderness),
                DEFAULT_IDLE_TIMEOUT.toMillis());
    }

    /** Event time from the timestamps the source delivers, with the given out-of-orderness bound. */
    public static <T> TimeStrategy<T> sourceTime(Duration maxOutOfOrderness) {
        return new TimeStrategy<>(Mode.SOURCE_TIME, null, checkBound(maxOutOfOrderness), DEFAULT_IDLE_TIMEOUT.toMillis());
    }

    /** Processing time: records get the job clock's time when read; nothing is ever late. */
    public static <T> TimeStrategy<T> processingTime() {
        return new TimeStrategy<>(Mode.PROCESSING_TIME, null, 0, DEFAULT_IDLE_TIMEOUT.toMillis());
    }

    /** A copy with another idle timeout (see the class comment); must be positive. */
    public TimeStrategy<T> withIdleTimeout(Duration idleTimeout) {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Preconditions.checkArgument(!idleTimeout.isNegative() && !idleTimeout.isZero(),
                "idleTimeout must be positive, was %s (use e.g. Duration.ofSeconds(10))", idleTimeout);
        return new TimeStrategy<>(mode, timestampFn, maxOutOfOrdernessMs, idleTimeout.toMillis());
    }

    private static long checkBound(Duration maxOutOfOrderness) {
        Objects.requireNonNull(maxOutOfOrderness, "maxOutOfOrderness");
        Preconditions.checkArgument(!maxOutOfOrderness.isNegative(),
                "maxOutOfOrderness must not be negative, was %s (use Duration.ZERO for in-order input)", maxOutOfOrderness);
        return maxOutOfOrderness.toMillis();
    }

    public Mode mode() {
        return mode;
    }

    /** The timestamp function, or {@code null} unless {@link Mode#EVENT_TIME}. */
    public ToLongFunction<? super T> timestampFn() {
        return timestampFn;
    }

    public long maxOutOfOrdernessMs() {
        return maxOutOfOrdernessMs;
    }

    public long idleTimeoutMs() {
        return idleTimeoutMs;
    }

    @Override
    public String toString() {
        return switch (mode) {
            case EVENT_TIME -> "event time, out-of-orderness " + maxOutOfOrdernessMs + " ms, idle after " + idleTimeoutMs + " ms";
            case SOURCE_TIME -> "source time, out-of-orderness " + maxOutOfOrdernessMs + " ms, idle after " + idleTimeoutMs + " ms";
            case PROCESSING_TIME -> "processing time";
        };
    }
}
