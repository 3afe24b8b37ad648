package io.runnel.streams;

import io.runnel.streams.internal.graph.KeyByNode;
import io.runnel.streams.internal.graph.WindowNode;
import io.runnel.streams.internal.state.Aggregators;
import java.util.Objects;
import java.util.function.BinaryOperator;

/**
 * A keyed stream grouped into windows; aggregate it to get one {@link WindowResult} per window and
 * key. Built-in statistics are in {@link Statistics}: {@code aggregate(Statistics.average(...))}.
 *
 * @param <K> key type
 * @param <T> record type
 */
public final class WindowedStream<K, T> {

    private final StreamJob job;
    private final KeyByNode node;
    private final Windows windows;

    WindowedStream(StreamJob job, KeyByNode node, Windows windows) {
        this.job = job;
        this.node = node;
        this.windows = windows;
    }

    /** Aggregates each window's records with {@code aggregator}. */
    public <A, R> AggregatedStream<K, T, R> aggregate(Aggregator<? super T, A, R> aggregator) {
        return aggregate(aggregator, StateOptions.defaults());
    }

    /** As {@link #aggregate(Aggregator)}, with a stable operator name. */
    public <A, R> AggregatedStream<K, T, R> aggregate(Aggregator<? super T, A, R> aggregator, StateOptions options) {
        return add(aggregator, aggregator instanceof Aggregators.Labeled l ? l.label() : "aggregate", options);
    }

    /** Combines each window's records pairwise with {@code reducer} (which must be associative). */
    public AggregatedStream<K, T, T> reduce(BinaryOperator<T> reducer) {
        return reduce(reducer, StateOptions.defaults());
    }

    public AggregatedStream<K, T, T> reduce(BinaryOperator<T> reducer, StateOptions options) {
        Objects.requireNonNull(reducer, "reducer");
        return add(Aggregators.reduce(reducer), "reduce", options);
    }

    /** The number of records per window. */
    public AggregatedStream<K, T, Long> count() {
        return count(StateOptions.defaults());
    }

    public AggregatedStream<K, T, Long> count(StateOptions options) {
        return add(Aggregators.<T>count(), "count", options);
    }

    @SuppressWarnings("unchecked") // stored untyped; the handle keeps input and result types consistent
    private <A, R> AggregatedStream<K, T, R> add(Aggregator<? super T, A, R> aggregator, String label, StateOptions options) {
        Objects.requireNonNull(aggregator, "aggregator");
        Objects.requireNonNull(options, "options");
        if (windows.kind() == Windows.Kind.SESSION && !aggregator.canMerge()) {
            throw new IllegalArgumentException("session windows need an aggregator that can merge accumulators ("
                    + label + " cannot): override Aggregator.merge and canMerge, or use Aggregator.of(init, add, merge, result)");
        }
        if (options.ttlMs() > 0) {
            throw new IllegalArgumentException("window state expires with its windows; a time-to-live does not apply (remove withTtl)");
        }
        return new AggregatedStream<>(job, new WindowNode(job.nextId(), node, windows,
                (Aggregator<Object, Object, Object>) (Aggregator<?, ?, ?>) aggregator, label, options.name()));
    }
}
