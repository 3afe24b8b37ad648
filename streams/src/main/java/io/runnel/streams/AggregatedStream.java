package io.runnel.streams;

import io.runnel.streams.internal.graph.SideOutputNode;
import io.runnel.streams.internal.graph.WindowNode;

/**
 * The results of a windowed aggregation, one {@link WindowResult} per window and key, plus the
 * events that arrived too late for their windows.
 *
 * @param <K> key type
 * @param <T> input event type
 * @param <R> aggregate type
 */
public final class AggregatedStream<K, T, R> extends EventStream<WindowResult<K, R>> {

    AggregatedStream(StreamJob job, WindowNode node) {
        super(job, node);
    }

    /**
     * Events with time < watermark - allowed lateness when they reached the window: not in any
     * result, counted in the operator's late metric, never dropped silently.
     */
    public EventStream<T> lateEvents() {
        return new EventStream<>(job, new SideOutputNode(job.nextId(), node, 0, "lateEvents"));
    }
}
