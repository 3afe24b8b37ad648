package io.runnel.streams.internal.graph;

import java.util.List;
import java.util.function.BiFunction;

/** Joins two keyed streams on events at most {@code withinMs} apart. Side outputs 0 and 1: late left and right events. */
public record IntervalJoinNode(int id, KeyByNode left, KeyByNode right, long withinMs, long latenessMs,
                               BiFunction<Object, Object, Object> joiner, String userName) implements PlanNode {
    @Override
    public List<PlanNode> inputs() {
        return List.of(left, right);
    }

    @Override
    public String label() {
        return "join(within " + withinMs + " ms" + (latenessMs > 0 ? ", lateness " + latenessMs + " ms" : "") + ")";
    }

    @Override
    public boolean isStateful() {
        return true;
    }
}
