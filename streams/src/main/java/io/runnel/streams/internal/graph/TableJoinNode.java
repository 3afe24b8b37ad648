package io.runnel.streams.internal.graph;

import java.util.List;
import java.util.function.BiFunction;

/**
 * Enriches a keyed stream (input 0) from a table (input 1): the latest value per key of a keyed
 * stream, kept as keyed state.
 */
public record TableJoinNode(int id, KeyByNode stream, KeyByNode table, BiFunction<Object, Object, Object> joiner,
                            boolean leftJoin, long ttlMs, String userName) implements PlanNode {
    @Override
    public List<PlanNode> inputs() {
        return List.of(stream, table);
    }

    @Override
    public String label() {
        return leftJoin ? "leftJoin(table)" : "join(table)";
    }

    @Override
    public boolean isStateful() {
        return true;
    }
}
