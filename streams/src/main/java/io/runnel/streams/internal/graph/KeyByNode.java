package io.runnel.streams.internal.graph;

import java.util.List;
import java.util.function.Function;

/** Keys records; the keyed operators after it receive each key on the task that owns its key group. */
public record KeyByNode(int id, PlanNode input, Function<Object, Object> keyFn) implements PlanNode {
    @Override
    public List<PlanNode> inputs() {
        return List.of(input);
    }

    @Override
    public String label() {
        return "keyBy";
    }
}
