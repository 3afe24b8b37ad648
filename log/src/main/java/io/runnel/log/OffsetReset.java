package io.runnel.log;

import java.time.Instant;
import java.util.Objects;

/** Where {@link ConsumerGroups#resetOffsets} moves a group's committed offsets. Immutable. */
public sealed interface OffsetReset {

    /** To each partition's start offset. */
    static OffsetReset earliest() {
        return Earliest.INSTANCE;
    }

    /** To each partition's end offset. */
    static OffsetReset latest() {
        return Latest.INSTANCE;
    }

    /** To {@code offset}, clamped to each partition's [start, end]. */
    static OffsetReset toOffset(long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0, was " + offset);
        }
        return new ToOffset(offset);
    }

    /** To the first offset with timestamp >= {@code time} (the end if none). */
    static OffsetReset toTime(Instant time) {
        return new ToTime(Objects.requireNonNull(time, "time").toEpochMilli());
    }

    /** See {@link #earliest()}. */
    enum Earliest implements OffsetReset { INSTANCE }

    /** See {@link #latest()}. */
    enum Latest implements OffsetReset { INSTANCE }

    /** See {@link #toOffset(long)}. */
    record ToOffset(long offset) implements OffsetReset {
    }

    /** See {@link #toTime(Instant)}. */
    record ToTime(long timestampMs) implements OffsetReset {
    }
}
