package io.runnel.streams.internal.runtime;

import java.util.List;
import java.util.function.Predicate;

/**
 * Routes each record to the branch of the first predicate it matches (or the unmatched branch).
 * One operator serves all branches of a split, so the predicates run once per record.
 */
public final class SplitOperator extends OneInputOperator {

    private final Predicate<Object>[] predicates;
    private final Collector[] branches;
    private Collector unmatched = Collector.NONE;

    @SuppressWarnings({"unchecked", "rawtypes"}) // Java cannot create generic arrays: a raw array of the one predicate type
    public SplitOperator(String name, List<Predicate<Object>> predicates) {
        super(name);
        this.predicates = predicates.toArray(new Predicate[0]);
        this.branches = new Collector[predicates.size()];
        java.util.Arrays.fill(branches, Collector.NONE);
    }

    /** Sets the output of branch {@code index} (-1: unmatched). */
    public void setBranch(int index, Collector c) {
        if (index < 0) {
            unmatched = c;
        } else {
            branches[index] = c;
        }
        java.util.List<Collector> all = new java.util.ArrayList<>(java.util.Arrays.asList(branches));
        all.add(unmatched);
        output = FanOut.of(all.stream().filter(x -> x != Collector.NONE).toList());
    }

    @Override
    public void record(Object value, long timestampMs) {
        counters.in++;
        int match = -1;
        try {
            for (int i = 0; i < predicates.length; i++) {
                if (predicates[i].test(value)) {
                    match = i;
                    break;
                }
            }
        } catch (RuntimeException e) {
            ctx.failed(counters, name, value, timestampMs, e);
            return;
        }
        counters.out++;
        (match < 0 ? unmatched : branches[match]).record(value, timestampMs);
    }
}
