package io.runnel.streams;

import io.runnel.streams.internal.graph.IntervalJoinNode;
import io.runnel.streams.internal.graph.KeyByNode;
import io.runnel.streams.internal.graph.LookupJoinNode;
import io.runnel.streams.internal.graph.ProcessNode;
import io.runnel.streams.internal.graph.TableJoinNode;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * A stream partitioned by key: each key's records are processed in order by the one task that owns
 * the key's key group, where its state lives. Offers the keyed operations: windows, process, tables
 * and joins.
 *
 * @param <K> key type
 * @param <T> record type
 */
public final class KeyedStream<K, T> {

    final StreamJob job;
    final KeyByNode node;

    KeyedStream(StreamJob job, KeyByNode node) {
        this.job = job;
        this.node = node;
    }

    /** Groups each key's records into windows; aggregate them next. */
    public WindowedStream<K, T> window(Windows windows) {
        Objects.requireNonNull(windows, "windows");
        return new WindowedStream<>(job, node, windows);
    }

    /** Runs a processor with keyed state and timers; one processor per task from {@code processor}. */
    public <R> EventStream<R> process(Supplier<? extends KeyedProcessor<K, T, R>> processor) {
        return process(processor, StateOptions.defaults());
    }

    /** As {@link #process(Supplier)}, with a stable name and optional state time-to-live. */
    @SuppressWarnings("unchecked") // stored untyped; the handle's types keep key, input and output consistent
    public <R> EventStream<R> process(Supplier<? extends KeyedProcessor<K, T, R>> processor, StateOptions options) {
        Objects.requireNonNull(processor, "processor");
        Objects.requireNonNull(options, "options");
        Supplier<? extends KeyedProcessor<Object, Object, Object>> p =
                (Supplier<? extends KeyedProcessor<Object, Object, Object>>) (Supplier<?>) processor;
        return new EventStream<>(job, new ProcessNode(job.nextId(), node, p, options.ttlMs(), options.name()));
    }

    /** The latest record per key as a table, to enrich other streams with. */
    public Table<K, T> toTable() {
        return toTable(StateOptions.defaults());
    }

    /** As {@link #toTable()}, with a stable name and optional time-to-live of entries. */
    public Table<K, T> toTable(StateOptions options) {
        Objects.requireNonNull(options, "options");
        return new Table<>(job, node, options);
    }

    /**
     * Inner enrichment join: each record is joined with the table's current value for its key when it
     * is processed; records whose key is not in the table are dropped (counted as unmatched).
     */
    public <V, R> EventStream<R> join(Table<K, V> table, BiFunction<? super T, ? super V, ? extends R> joiner) {
        return tableJoin(table, joiner, false);
    }

    /** Left enrichment join: like {@link #join(Table, BiFunction)}, with a {@code null} value when the key is missing. */
    public <V, R> EventStream<R> leftJoin(Table<K, V> table, BiFunction<? super T, ? super V, ? extends R> joiner) {
        return tableJoin(table, joiner, true);
    }

    @SuppressWarnings("unchecked") // stored untyped
    private <V, R> EventStream<R> tableJoin(Table<K, V> table, BiFunction<? super T, ? super V, ? extends R> joiner,
                                            boolean left) {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(joiner, "joiner");
        if (table.job != job) {
            throw new IllegalArgumentException("the table belongs to another job ('" + table.job.name() + "')");
        }
        return new EventStream<>(job, new TableJoinNode(job.nextId(), node, table.node,
                (BiFunction<Object, Object, Object>) joiner, left, table.options.ttlMs(), table.options.name()));
    }

    /** Inner enrichment from a cached external lookup; records whose key is not found are dropped (counted). */
    public <V, R> EventStream<R> join(LookupTable<K, V> table, BiFunction<? super T, ? super V, ? extends R> joiner) {
        return lookupJoin(table, joiner, false);
    }

    /** Left enrichment from a cached external lookup; {@code null} when the key is not found. */
    public <V, R> EventStream<R> leftJoin(LookupTable<K, V> table, BiFunction<? super T, ? super V, ? extends R> joiner) {
        return lookupJoin(table, joiner, true);
    }

    @SuppressWarnings("unchecked") // stored untyped
    private <V, R> EventStream<R> lookupJoin(LookupTable<K, V> table, BiFunction<? super T, ? super V, ? extends R> joiner,
                                             boolean left) {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(joiner, "joiner");
        return new EventStream<>(job, new LookupJoinNode(job.nextId(), node, (LookupTable<Object, Object>) (LookupTable<?, ?>) table,
                (BiFunction<Object, Object, Object>) joiner, left));
    }

    /** Windowed stream-stream inner join: pairs of events of the same key at most the window apart. */
    public <U, R> JoinedStream<T, U, R> join(KeyedStream<K, U> other, JoinWindow window,
                                             BiFunction<? super T, ? super U, ? extends R> joiner) {
        return join(other, window, joiner, StateOptions.defaults());
    }

    /** As {@link #join(KeyedStream, JoinWindow, BiFunction)}, with a stable name. */
    @SuppressWarnings("unchecked") // stored untyped
    public <U, R> JoinedStream<T, U, R> join(KeyedStream<K, U> other, JoinWindow window,
                                             BiFunction<? super T, ? super U, ? extends R> joiner, StateOptions options) {
        Objects.requireNonNull(other, "other");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(joiner, "joiner");
        Objects.requireNonNull(options, "options");
        if (other.job != job) {
            throw new IllegalArgumentException("cannot join streams of different jobs");
        }
        return new JoinedStream<>(job, new IntervalJoinNode(job.nextId(), node, other.node, window.withinMs(),
                window.allowedLatenessMs(), (BiFunction<Object, Object, Object>) joiner, options.name()));
    }
}
