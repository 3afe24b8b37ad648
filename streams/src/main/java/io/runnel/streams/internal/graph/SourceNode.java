package io.runnel.streams.internal.graph;

import io.runnel.streams.TimeStrategy;
import io.runnel.streams.connect.Source;
import java.util.List;

/** Reads a source; assigns times and per-split watermarks with its time strategy. */
public record SourceNode(int id, Source<?> source, TimeStrategy<?> time) implements PlanNode {
    @Override
    public List<PlanNode> inputs() {
        return List.of();
    }

    @Override
    public String label() {
        return "source " + source.name() + " [" + time + "]";
    }
}
