package io.runnel.streams.internal.graph;

import io.runnel.streams.KeyedProcessor;
import java.util.List;
import java.util.function.Supplier;

/** A user processor with keyed state and timers; one processor instance per task. */
public record ProcessNode(int id, KeyByNode input, Supplier<? extends KeyedProcessor<Object, Object, Object>> processor,
                          long ttlMs, String userName) implements PlanNode {
    @Override
    public List<PlanNode> inputs() {
        return List.of(input);
    }

    @Override
    public String label() {
        return "process";
    }

    @Override
    public boolean isStateful() {
        return true;
    }
}
