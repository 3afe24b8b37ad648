package io.runnel.streams.internal.graph;

import io.runnel.streams.Aggregator;
import io.runnel.streams.Windows;
import java.util.List;

/** A windowed aggregation per key. Side output 0: late events. */
public record WindowNode(int id, KeyByNode input, Windows windows, Aggregator<Object, Object, Object> aggregator,
                         String aggregation, String userName) implements PlanNode {
    @Override
    public List<PlanNode> inputs() {
        return List.of(input);
    }

    @Override
    public String label() {
        return windows + "." + aggregation;
    }

    @Override
    public boolean isStateful() {
        return true;
    }
}
