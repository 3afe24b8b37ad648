package io.runnel.streams.internal.graph;

import io.runnel.streams.LookupTable;
import java.util.List;
import java.util.function.BiFunction;

/** Enriches a keyed stream from an external lookup behind a bounded cache; keeps no checkpointed state. */
public record LookupJoinNode(int id, KeyByNode input, LookupTable<Object, Object> table,
                             BiFunction<Object, Object, Object> joiner, boolean leftJoin) implements PlanNode {
    @Override
    public List<PlanNode> inputs() {
        return List.of(input);
    }

    @Override
    public String label() {
        return (leftJoin ? "leftJoin(" : "join(") + table + ")";
    }
}
