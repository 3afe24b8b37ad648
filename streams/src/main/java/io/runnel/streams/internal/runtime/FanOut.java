package io.runnel.streams.internal.runtime;

import java.util.List;

/** Hands everything to several collectors in order. */
public final class FanOut implements Collector {

    private final Collector[] targets;

    private FanOut(Collector[] targets) {
        this.targets = targets;
    }

    /** The single collector itself, a fan-out for several, {@link Collector#NONE} for none. */
    public static Collector of(List<Collector> targets) {
        return switch (targets.size()) {
            case 0 -> Collector.NONE;
            case 1 -> targets.get(0);
            default -> new FanOut(targets.toArray(new Collector[0]));
        };
    }

    @Override
    public void record(Object value, long timestampMs) {
        for (Collector c : targets) {
            c.record(value, timestampMs);
        }
    }

    @Override
    public void watermark(long watermarkMs) {
        for (Collector c : targets) {
            c.watermark(watermarkMs);
        }
    }

    @Override
    public void idle(boolean idle) {
        for (Collector c : targets) {
            c.idle(idle);
        }
    }
}
