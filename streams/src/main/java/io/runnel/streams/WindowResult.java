package io.runnel.streams;

/**
 * The result of a window for one key. A time window covers {@code [windowStartMs, windowEndMs)}; a
 * session covers {@code [windowStartMs, windowEndMs]} where {@code windowStartMs} is its first event's
 * time and {@code windowEndMs} its last event's time plus the gap (see docs/SEMANTICS.md).
 *
 * @param key           the key the window belongs to
 * @param windowStartMs window start, epoch milliseconds
 * @param windowEndMs   window end, epoch milliseconds
 * @param value         the aggregate
 * @param kind          whether this is the final result, an early update or a late update
 * @param <K>           key type
 * @param <V>           value type
 */
public record WindowResult<K, V>(K key, long windowStartMs, long windowEndMs, V value, Kind kind) {

    /** Why a window result was emitted. */
    public enum Kind {
        /** An update before the window closed ({@link Windows#withEarlyUpdates}); more will follow. */
        EARLY,
        /** The window closed (watermark passed its end): emitted once per window and key. */
        FINAL,
        /** A late event within the allowed lateness changed an already final result. */
        LATE_UPDATE
    }

    /** Whether this is the one final result of its window (not an early or late update). */
    public boolean isFinal() {
        return kind == Kind.FINAL;
    }
}
