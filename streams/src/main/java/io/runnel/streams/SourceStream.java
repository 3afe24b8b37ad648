package io.runnel.streams;

import io.runnel.streams.internal.graph.SourceNode;
import java.time.Duration;
import java.util.function.ToLongFunction;

/**
 * The records of a source, with the time strategy that assigns their event time and watermarks.
 * Without one, records carry the timestamps the source delivers, in order (no out-of-orderness).
 *
 * @param <T> the record type
 */
public final class SourceStream<T> extends EventStream<T> {

    SourceStream(StreamJob job, SourceNode node) {
        super(job, node);
    }

    /**
     * Event time from {@code timestampMs} with bounded out-of-orderness; shorthand for
     * {@code withTimeStrategy(TimeStrategy.eventTime(timestampMs, maxOutOfOrderness))}.
     */
    public SourceStream<T> withEventTime(ToLongFunction<? super T> timestampMs, Duration maxOutOfOrderness) {
        return withTimeStrategy(TimeStrategy.eventTime(timestampMs, maxOutOfOrderness));
    }

    /** This source's records with another time strategy (use only one of the handles in a job). */
    public SourceStream<T> withTimeStrategy(TimeStrategy<? super T> strategy) {
        java.util.Objects.requireNonNull(strategy, "strategy");
        SourceNode n = (SourceNode) node;
        return new SourceStream<>(job, new SourceNode(job.nextId(), n.source(), strategy));
    }
}
