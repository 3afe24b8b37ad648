package io.runnel.streams.internal.runtime;

/** An operator with one input that passes watermarks and idleness through unchanged by default. */
public abstract class OneInputOperator extends Operator implements Collector {

    protected OneInputOperator(String name) {
        super(name);
    }

    @Override
    public Collector input(int index) {
        if (index != 0) {
            throw new IllegalArgumentException(name + " has one input, not " + (index + 1));
        }
        return this;
    }

    @Override
    public void watermark(long watermarkMs) {
        counters.watermark = watermarkMs;
        output.watermark(watermarkMs);
    }

    @Override
    public void idle(boolean idle) {
        output.idle(idle);
    }
}
