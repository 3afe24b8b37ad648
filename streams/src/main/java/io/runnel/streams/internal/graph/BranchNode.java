package io.runnel.streams.internal.graph;

import java.util.List;
import java.util.function.Predicate;

/** One branch of a split: the records whose first matching predicate is {@code index} (-1: none matched). */
public record BranchNode(int id, PlanNode input, List<Predicate<Object>> predicates, int index) implements PlanNode {
    @Override
    public List<PlanNode> inputs() {
        return List.of(input);
    }

    @Override
    public String label() {
        return index < 0 ? "split(unmatched of " + predicates.size() + ")" : "split(branch " + index + " of " + predicates.size() + ")";
    }
}
