package io.runnel.streams;

/**
 * What a {@link KeyedProcessor} sees: the current key and time, the watermark, its state and timers,
 * and where to emit. Valid only during the call it is passed to (and {@code open} for declaring state).
 *
 * @param <K> key type
 * @param <R> output type
 */
public interface ProcessorContext<K, R> {

    /** The key of the record or timer being processed. */
    K key();

    /** The time of the record being processed, or of the timer that fired, epoch ms. */
    long timestampMs();

    /** The operator's current watermark ({@link Long#MIN_VALUE} before the first). */
    long watermarkMs();

    /** The job clock, epoch ms. */
    long processingTimeMs();

    /** Emits {@code value} with the current timestamp. */
    void emit(R value);

    /** Emits {@code value} with an explicit timestamp (epoch ms). */
    void emit(R value, long timestampMs);

    /** Declares (in {@code open}) or returns a value state with the operator's time-to-live. */
    <V> ValueState<V> valueState(String name);

    /** Declares (in {@code open}) or returns a map state with the operator's time-to-live. */
    <UK, UV> MapState<UK, UV> mapState(String name);

    /** Fires {@link KeyedProcessor#onTimer} for the current key when the watermark reaches {@code timeMs}; idempotent. */
    void registerEventTimeTimer(long timeMs);

    /** Fires {@link KeyedProcessor#onTimer} for the current key when the job clock reaches {@code timeMs}; idempotent. */
    void registerProcessingTimeTimer(long timeMs);

    void deleteEventTimeTimer(long timeMs);

    void deleteProcessingTimeTimer(long timeMs);
}
