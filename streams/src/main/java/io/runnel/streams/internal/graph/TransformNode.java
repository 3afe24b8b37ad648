package io.runnel.streams.internal.graph;

import java.util.List;

/** A stateless per-record function: map, filter, flatMap or peek. */
public record TransformNode(int id, PlanNode input, Kind kind, Object fn) implements PlanNode {

    /** Which transformation; {@code fn} is a Function, Predicate, FlatMapper or Consumer accordingly. */
    public enum Kind { MAP, FILTER, FLAT_MAP, PEEK }

    @Override
    public List<PlanNode> inputs() {
        return List.of(input);
    }

    @Override
    public String label() {
        return switch (kind) {
            case MAP -> "map";
            case FILTER -> "filter";
            case FLAT_MAP -> "flatMap";
            case PEEK -> "peek";
        };
    }
}
