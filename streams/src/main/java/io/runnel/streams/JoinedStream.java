package io.runnel.streams;

import io.runnel.streams.internal.graph.IntervalJoinNode;
import io.runnel.streams.internal.graph.SideOutputNode;

/**
 * The results of a windowed stream-stream join, plus each side's events that arrived too late to be
 * joined (time < watermark - allowed lateness).
 *
 * @param <L> left event type
 * @param <R> right event type
 * @param <O> result type
 */
public final class JoinedStream<L, R, O> extends EventStream<O> {

    JoinedStream(StreamJob job, IntervalJoinNode node) {
        super(job, node);
    }

    public EventStream<L> lateLeftEvents() {
        return new EventStream<>(job, new SideOutputNode(job.nextId(), node, 0, "lateLeftEvents"));
    }

    public EventStream<R> lateRightEvents() {
        return new EventStream<>(job, new SideOutputNode(job.nextId(), node, 1, "lateRightEvents"));
    }
}
