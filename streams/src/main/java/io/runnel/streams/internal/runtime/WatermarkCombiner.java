package io.runnel.streams.internal.runtime;

import java.util.Arrays;

/**
 * The watermark of several inputs: the minimum over the inputs that are not idle, never going
 * backwards. When every input is idle the combination is idle itself and its watermark rises to the
 * highest of the inputs' (everything they hold has been seen: let it fire). An input that ended has
 * watermark {@link Long#MAX_VALUE}.
 */
public final class WatermarkCombiner {

    private final long[] watermarks;
    private final boolean[] idle;
    private long combined = Long.MIN_VALUE;
    private boolean allIdle;

    public WatermarkCombiner(int inputs) {
        watermarks = new long[inputs];
        idle = new boolean[inputs];
        Arrays.fill(watermarks, Long.MIN_VALUE);
        allIdle = inputs == 0;
        if (inputs == 0) {
            combined = Long.MAX_VALUE;
        }
    }

    /** Input {@code i}'s watermark rose; returns whether the combined watermark rose. */
    public boolean update(int i, long watermarkMs) {
        if (watermarkMs <= watermarks[i]) {
            return false;
        }
        watermarks[i] = watermarkMs;
        return recompute();
    }

    /** Input {@code i} became idle or active; returns whether the combined watermark rose. */
    public boolean setIdle(int i, boolean isIdle) {
        if (idle[i] == isIdle) {
            return false;
        }
        idle[i] = isIdle;
        return recompute();
    }

    private boolean recompute() {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        boolean any = false;
        for (int i = 0; i < watermarks.length; i++) {
            max = Math.max(max, watermarks[i]);
            if (!idle[i]) {
                any = true;
                min = Math.min(min, watermarks[i]);
            }
        }
        allIdle = !any;
        if (!any) {
            min = max;
        }
        if (watermarks.length > 0 && min > combined) {
            combined = min;
            return true;
        }
        return false;
    }

    public long combined() {
        return combined;
    }

    /** Whether every input is idle. */
    public boolean isIdle() {
        return allIdle;
    }

    /** Whether every input has ended. */
    public boolean allEnded() {
        for (long w : watermarks) {
            if (w != Long.MAX_VALUE) {
                return false;
            }
        }
        return true;
    }

    public long watermark(int i) {
        return watermarks[i];
    }
}
