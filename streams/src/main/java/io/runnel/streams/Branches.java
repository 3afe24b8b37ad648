package io.runnel.streams;

import java.util.List;

/**
 * The branches of {@link EventStream#split}: branch {@code i} holds the records whose first matching
 * predicate is the {@code i}-th; {@link #unmatched()} those no predicate matched.
 *
 * @param <T> the record type
 */
public final class Branches<T> {

    private final List<EventStream<T>> branches;
    private final EventStream<T> unmatched;

    Branches(List<EventStream<T>> branches, EventStream<T> unmatched) {
        this.branches = List.copyOf(branches);
        this.unmatched = unmatched;
    }

    /** The branch of predicate {@code index} (0-based). */
    public EventStream<T> branch(int index) {
        if (index < 0 || index >= branches.size()) {
            throw new IndexOutOfBoundsException("branch " + index + " does not exist; the split has "
                    + branches.size() + " predicates (0.." + (branches.size() - 1) + ")");
        }
        return branches.get(index);
    }

    /** The records no predicate matched. */
    public EventStream<T> unmatched() {
        return unmatched;
    }

    /** The number of predicate branches. */
    public int size() {
        return branches.size();
    }
}
