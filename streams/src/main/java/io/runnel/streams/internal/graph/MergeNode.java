package io.runnel.streams.internal.graph;

import java.util.List;

/** The union of several streams of the same type; its watermark is the minimum of its inputs'. */
public record MergeNode(int id, List<PlanNode> inputs) implements PlanNode {
    @Override
    public String label() {
        return "merge";
    }
}
