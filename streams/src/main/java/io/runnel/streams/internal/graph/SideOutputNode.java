package io.runnel.streams.internal.graph;

import java.util.List;

/** A side output of an operator (late events of a window or join). */
public record SideOutputNode(int id, PlanNode parent, int side, String name) implements PlanNode {
    @Override
    public List<PlanNode> inputs() {
        return List.of(parent);
    }

    @Override
    public String label() {
        return name;
    }
}
