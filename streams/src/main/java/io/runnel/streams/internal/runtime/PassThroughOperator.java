package io.runnel.streams.internal.runtime;

/** Forwards everything: the entry of a side output or of the dead-letter chain, counted under its own name. */
public final class PassThroughOperator extends OneInputOperator {

    public PassThroughOperator(String name) {
        super(name);
    }

    @Override
    public void record(Object value, long timestampMs) {
        counters.in++;
        counters.out++;
        output.record(value, timestampMs);
    }
}
