package io.runnel.streams.internal.graph;

import io.runnel.streams.connect.Sink;
import java.util.List;

/** Writes records to a sink; the sink's name keys its committables in checkpoints. */
public record SinkNode(int id, PlanNode input, Sink<?> sink) implements PlanNode {
    @Override
    public List<PlanNode> inputs() {
        return List.of(input);
    }

    @Override
    public String label() {
        return "sink " + sink.name() + " (" + sink.guarantee() + ")";
    }

    @Override
    public String userName() {
        return sink.name();
    }
}
