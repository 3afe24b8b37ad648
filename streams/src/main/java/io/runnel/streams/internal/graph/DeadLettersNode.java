package io.runnel.streams.internal.graph;

import java.util.List;

/** The job's dead-letter output; it exists in every task, so only stateless operators and sinks may follow it. */
public record DeadLettersNode(int id) implements PlanNode {
    @Override
    public List<PlanNode> inputs() {
        return List.of();
    }

    @Override
    public String label() {
        return "deadLetters";
    }
}
