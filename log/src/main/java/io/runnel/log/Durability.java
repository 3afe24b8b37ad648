package io.runnel.log;

import java.time.Duration;
import java.util.Objects;

/**
 * When an append is acknowledged, and so what an acknowledged record survives. Immutable.
 *
 * <ul>
 *   <li>{@link #fsync()}: acknowledged after the data (and, for a new segment file, its directory)
 *       were forced to the disk. Survives a process crash and a power cut. Group commit keeps it
 *       cheap: one force covers every record drained from the ring together.</li>
 *   <li>{@link #interval(Duration)}: acknowledged after the write to the page cache; a flusher
 *       thread forces what was written every interval, while the journal keeps writing and
 *       acknowledging (appends never wait for it). Survives a process crash; a power cut loses at
 *       most the last interval plus the force in flight.</li>
 *   <li>{@link #os()}: acknowledged after the write to the page cache; forced only when a segment
 *       rolls and at close. Survives a process crash (the kernel keeps the page cache), not a power
 *       cut.</li>
 * </ul>
 */
public final class Durability {

    /** The three policies. */
    public enum Kind { FSYNC, INTERVAL, OS }

    private static final Durability FSYNC = new Durability(Kind.FSYNC, Duration.ZERO);
    private static final Durability OS = new Durability(Kind.OS, Duration.ZERO);

    private final Kind kind;
    private final Duration interval;

    private Durability(Kind kind, Duration interval) {
        this.kind = kind;
        this.interval = interval;
    }

    /** Ack after force: survives power loss. The default. */
    public static Durability fsync() {
        return FSYNC;
    }

    /** Ack after write, force every {@code interval} (at least 1 ms). */
    public static Durability interval(Duration interval) {
        Objects.requireNonNull(interval, "interval");
        if (interval.toMillis() < 1) {
            throw new InvalidConfigException("Durability.interval must be >= 1 ms, was " + interval
                    + " (use Durability.fsync() to force before every acknowledgement)");
        }
        return new Durability(Kind.INTERVAL, interval);
    }

    /** Ack after write to the page cache: survives a process crash, not a power cut. */
    public static Durability os() {
        return OS;
    }

    public Kind kind() {
        return kind;
    }

    /** The force interval of {@link Kind#INTERVAL}; zero for the other kinds. */
    public Duration interval() {
        return interval;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Durability d && d.kind == kind && d.interval.equals(interval);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + interval.hashCode();
    }

    @Override
    public String toString() {
        return kind == Kind.INTERVAL ? "interval(" + interval.toMillis() + "ms)" : kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
