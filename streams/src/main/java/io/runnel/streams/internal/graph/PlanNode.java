package io.runnel.streams.internal.graph;

import java.util.List;

/**
 * One operator of a job's logical plan. Nodes are immutable and point to their inputs; a plan is
 * everything reachable backwards from the job's sinks. Node ids are unique within a job and give
 * the order in which the plan was built.
 */
public interface PlanNode {

    int id();

    List<PlanNode> inputs();

    /** What the node does, for {@code describe()} and for deterministic operator names. */
    String label();

    /** Whether the node keeps keyed state that checkpoints store (and so needs a stable name). */
    default boolean isStateful() {
        return false;
    }

    /** The stable name the user gave, or {@code null}. */
    default String userName() {
        return null;
    }
}
