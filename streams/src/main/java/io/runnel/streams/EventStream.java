package io.runnel.streams;

import io.runnel.streams.connect.Sink;
import io.runnel.streams.internal.graph.BranchNode;
import io.runnel.streams.internal.graph.KeyByNode;
import io.runnel.streams.internal.graph.MergeNode;
import io.runnel.streams.internal.graph.PlanNode;
import io.runnel.streams.internal.graph.SinkNode;
import io.runnel.streams.internal.graph.TransformNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A typed, immutable handle on a stream of records in a job's plan. Every operation adds a node to
 * the plan and returns a new handle; nothing runs until the job does. Records keep their event time
 * through stateless operators.
 *
 * <p>User functions run on the task threads, one call at a time per task; they must not block for
 * long. An exception thrown by one is handled by the job's {@link BadDataPolicy}.
 *
 * @param <T> the record type
 */
public class EventStream<T> {

    final StreamJob job;
    final PlanNode node;

    EventStream(StreamJob job, PlanNode node) {
        this.job = job;
        this.node = node;
    }

    /** One output record per input record. */
    public <R> EventStream<R> map(Function<? super T, ? extends R> fn) {
        Objects.requireNonNull(fn, "fn");
        return new EventStream<>(job, new TransformNode(job.nextId(), node, TransformNode.Kind.MAP, fn));
    }

    /** The records for which {@code predicate} holds. */
    public EventStream<T> filter(Predicate<? super T> predicate) {
        Objects.requireNonNull(predicate, "predicate");
        return new EventStream<>(job, new TransformNode(job.nextId(), node, TransformNode.Kind.FILTER, predicate));
    }

    /** Zero or more output records per input record. */
    public <R> EventStream<R> flatMap(FlatMapper<? super T, R> fn) {
        Objects.requireNonNull(fn, "fn");
        return new EventStream<>(job, new TransformNode(job.nextId(), node, TransformNode.Kind.FLAT_MAP, fn));
    }

    /** Calls {@code action} for each record and passes the record on unchanged. */
    public EventStream<T> peek(Consumer<? super T> action) {
        Objects.requireNonNull(action, "action");
        return new EventStream<>(job, new TransformNode(job.nextId(), node, TransformNode.Kind.PEEK, action));
    }

    /**
     * Keys the stream. Keys must have a stable {@code hashCode} across JVMs (strings, numbers,
     * records of those; enums are handled by name): it decides which task owns a key's state.
     */
    @SuppressWarnings("unchecked") // the plan stores functions untyped; the handle's types keep them consistent
    public <K> KeyedStream<K, T> keyBy(Function<? super T, ? extends K> keyFn) {
        Objects.requireNonNull(keyFn, "keyFn");
        return new KeyedStream<>(job, new KeyByNode(job.nextId(), node, (Function<Object, Object>) keyFn));
    }

    /** The union of this stream and {@code others}; the result's watermark is the minimum of theirs. */
    @SafeVarargs
    public final EventStream<T> merge(EventStream<? extends T>... others) {
        Objects.requireNonNull(others, "others");
        List<PlanNode> inputs = new ArrayList<>();
        inputs.add(node);
        for (EventStream<? extends T> o : others) {
            Objects.requireNonNull(o, "others contains null");
            if (o.job != job) {
                throw new IllegalArgumentException("cannot merge streams of different jobs ('" + job.name() + "' and '"
                        + o.job.name() + "')");
            }
            inputs.add(o.node);
        }
        if (inputs.size() < 2) {
            throw new IllegalArgumentException("merge needs at least one other stream");
        }
        return new EventStream<>(job, new MergeNode(job.nextId(), List.copyOf(inputs)));
    }

    /**
     * Splits the stream by predicates: each record goes to the branch of the first predicate it
     * matches, or to {@link Branches#unmatched()}.
     */
    @SuppressWarnings("unchecked") // stored untyped, applied only to this stream's records
    public Branches<T> split(List<? extends Predicate<? super T>> predicates) {
        Objects.requireNonNull(predicates, "predicates");
        if (predicates.isEmpty()) {
            throw new IllegalArgumentException("split needs at least one predicate");
        }
        List<Predicate<Object>> ps = new ArrayList<>();
        for (Predicate<? super T> p : predicates) {
            ps.add((Predicate<Object>) Objects.requireNonNull(p, "predicates contains null"));
        }
        List<Predicate<Object>> frozen = List.copyOf(ps);
        List<EventStream<T>> branches = new ArrayList<>();
        for (int i = 0; i < frozen.size(); i++) {
            branches.add(new EventStream<>(job, new BranchNode(job.nextId(), node, frozen, i)));
        }
        EventStream<T> rest = new EventStream<>(job, new BranchNode(job.nextId(), node, frozen, -1));
        return new Branches<>(branches, rest);
    }

    /** Writes every record to {@code sink}; the sink's name must be unique in the job. */
    public void to(Sink<? super T> sink) {
        Objects.requireNonNull(sink, "sink");
        job.addSink(new SinkNode(job.nextId(), node, sink));
    }

    /** The job this stream belongs to. */
    public StreamJob job() {
        return job;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + node.label() + " #" + node.id() + "]";
    }
}
