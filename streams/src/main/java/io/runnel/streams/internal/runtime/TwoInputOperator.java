package io.runnel.streams.internal.runtime;

/**
 * An operator with two inputs (joins). Input records go to {@link #record(int, Object, long)}; its
 * watermark is the minimum of the inputs' (idle inputs excluded) and {@link #onWatermark} runs when it rises.
 */
public abstract class TwoInputOperator extends Operator {

    private final WatermarkCombiner combiner = new WatermarkCombiner(2);
    private final Collector[] inputs = new Collector[2];
    private final Collector[] sideOutputs = {Collector.NONE, Collector.NONE};

    protected TwoInputOperator(String name) {
        super(name);
        for (int i = 0; i < 2; i++) {
            int index = i;
            inputs[i] = new Collector() {
                @Override
                public void record(Object value, long timestampMs) {
                    TwoInputOperator.this.record(index, value, timestampMs);
                }

                @Override
                public void watermark(long watermarkMs) {
                    if (combiner.update(index, watermarkMs)) {
                        advance();
                    }
                }

                @Override
                public void idle(boolean idle) {
                    boolean wasIdle = combiner.isIdle();
                    if (combiner.setIdle(index, idle)) {
                        advance();
                    }
                    if (wasIdle != combiner.isIdle()) {
                        output.idle(combiner.isIdle());
                        for (Collector side : sideOutputs) {
                            side.idle(combiner.isIdle());
                        }
                    }
                }
            };
        }
    }

    private void advance() {
        long w = combiner.combined();
        counters.watermark = w;
        onWatermark(w);
        output.watermark(w);
        for (Collector side : sideOutputs) {
            side.watermark(w);
        }
    }

    @Override
    public void setSideOutput(int side, Collector out) {
        sideOutputs[side] = out;
    }

    /** Where side output {@code side} goes (it carries this operator's watermark and idleness too). */
    protected Collector sideOutput(int side) {
        return sideOutputs[side];
    }

    @Override
    public Collector input(int index) {
        return inputs[index];
    }

    protected abstract void record(int input, Object value, long timestampMs);

    protected void onWatermark(long watermarkMs) {
    }

    protected long watermark() {
        return combiner.combined();
    }
}
