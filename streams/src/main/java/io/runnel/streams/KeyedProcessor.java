package io.runnel.streams;

/**
 * The escape hatch: per-record code with keyed state and timers. The job creates one processor per
 * task from the supplier given to {@link KeyedStream#process}; each is called by one thread only.
 * State is declared in {@link #open} through the context and is checkpointed with the job.
 *
 * @param <K> key type
 * @param <T> input type
 * @param <R> output type
 */
public interface KeyedProcessor<K, T, R> {

    /** Called once per task before any record: declare state here. */
    default void open(ProcessorContext<K, R> context) {
    }

    /** Called for each record of the key {@code context.key()}. */
    void process(T value, ProcessorContext<K, R> context);

    /** Called when a timer of {@code context.key()} fires; {@code context.timestampMs()} is its time. */
    default void onTimer(long timeMs, TimeDomain domain, ProcessorContext<K, R> context) {
    }
}
