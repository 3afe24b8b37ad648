package io.runnel.streams.internal.runtime;

/** The union of several inputs; its watermark is the minimum over its active inputs. */
public final class MergeOperator extends Operator {

    private final WatermarkCombiner combiner;
    private final Collector[] inputs;

    public MergeOperator(String name, int inputCount) {
        super(name);
        combiner = new WatermarkCombiner(inputCount);
        inputs = new Collector[inputCount];
        for (int i = 0; i < inputCount; i++) {
            int index = i;
            inputs[i] = new Collector() {
                @Override
                public void record(Object value, long timestampMs) {
                    counters.in++;
                    counters.out++;
                    output.record(value, timestampMs);
                }

                @Override
                public void watermark(long watermarkMs) {
                    if (combiner.update(index, watermarkMs)) {
                        counters.watermark = combiner.combined();
                        output.watermark(combiner.combined());
                    }
                }

                @Override
                public void idle(boolean idle) {
                    boolean wasIdle = combiner.isIdle();
                    boolean rose = combiner.setIdle(index, idle);
                    if (combiner.isIdle() != wasIdle) {
                        output.idle(combiner.isIdle());
                    }
                    if (rose) {
                        counters.watermark = combiner.combined();
                        output.watermark(combiner.combined());
                    }
                }
            };
        }
    }

    @Override
    public Collector input(int index) {
        return inputs[index];
    }
}
