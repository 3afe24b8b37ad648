package io.runnel.benchmarks.connectors;

import io.runnel.benchmarks.CheckFailedException;
import java.util.BitSet;

/**
 * Checks that a store holds each of the events {@code 0 .. expected-1} exactly once: counts the ids
 * read, the ids read twice and the ids outside the range, then names the first missing one. Not
 * thread-safe: one reading thread.
 */
final class ExactlyOnceCheck {

    private final long expected;
    private final BitSet seen;
    private long read;
    private long duplicates;
    private long unknown;
    private long firstDuplicate = -1;

    ExactlyOnceCheck(long expected) {
        if (expected < 0 || expected > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("expected must be in [0, " + Integer.MAX_VALUE + "], got " + expected);
        }
        this.expected = expected;
        this.seen = new BitSet((int) expected);
    }

    /** Counts event {@code id} as read once more. */
    void read(long id) {
        read++;
        if (id < 0 || id >= expected) {
            unknown++;
            return;
        }
        if (seen.get((int) id)) {
            duplicates++;
            if (firstDuplicate < 0) {
                firstDuplicate = id;
            }
        } else {
            seen.set((int) id);
        }
    }

    /** Events read so far, duplicates and unknown ones included. */
    long read() {
        return read;
    }

    /**
     * @throws CheckFailedException if an id was read twice, an unknown id was read, or an id is missing
     */
    void verify() {
        long missing = expected - seen.cardinality();
        if (duplicates != 0 || unknown != 0 || missing != 0) {
            throw new CheckFailedException(String.format(
                    "expected events 0..%d exactly once; read %d: %d duplicated (first id %d), %d unknown, %d missing (first id %d)",
                    expected - 1, read, duplicates, firstDuplicate, unknown, missing, missing == 0 ? -1 : seen.nextClearBit(0)));
        }
    }
}
