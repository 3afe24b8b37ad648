package io.runnel.streams.internal.runtime;

import java.util.List;

/** Appends every record to a list (the test driver's stand-in for sinks and side outputs). */
public final class CaptureOperator extends OneInputOperator {

    private final List<Object> records;

    public CaptureOperator(String name, List<Object> records) {
        super(name);
        this.records = records;
    }

    @Override
    public void record(Object value, long timestampMs) {
        counters.in++;
        counters.out++;
        records.add(value);
    }

    @Override
    public void watermark(long watermarkMs) {
        counters.watermark = watermarkMs;
    }

    @Override
    public void idle(boolean idle) {
    }
}
