package io.runnel.streams.internal.runtime;

import io.runnel.streams.Aggregator;
import io.runnel.streams.Windows;

/**
 * What tumbling, hopping and session window operators share: the lateness rule (a record with time
 * {@code t < W - allowedLateness} goes to the late output), record-time assignment in processing
 * time, watermark handling and the early-update timer.
 */
public abstract class WindowOperator extends OneInputOperator implements KeyedStateful, ProcessingTimeService.Target {

    protected final long latenessMs;
    protected final long earlyMs;
    protected final boolean processingTime;
    protected final Aggregator<Object, Object, Object> agg;
    protected final DirtyGroups dirty = new DirtyGroups();
    protected long watermark = Long.MIN_VALUE;
    protected int timerHandle;
    protected long nextEarlyMs = Long.MAX_VALUE;
    private long lateBefore = Long.MIN_VALUE;
    private Collector late = Collector.NONE;

    protected WindowOperator(String name, Windows windows, Aggregator<Object, Object, Object> agg) {
        super(name);
        this.latenessMs = windows.allowedLatenessMs();
        this.earlyMs = windows.earlyUpdateIntervalMs();
        this.processingTime = windows.isProcessingTime();
        this.agg = agg;
    }

    @Override
    public void setSideOutput(int side, Collector out) {
        late = out;
    }

    @Override
    public void open(TaskContext context) {
        super.open(context);
        timerHandle = context.processingTime.register(this);
    }

    @Override
    public final void record(Object value, long timestampMs) {
        counters.in++;
        Object key = ctx.keys.key;
        int group = ctx.keys.keyGroup;
        long t = timestampMs;
        if (processingTime) {
            t = ctx.clock.millis();
        } else if (t < lateBefore) {
            counters.late++;
            late.record(value, timestampMs);
            return;
        }
        try {
            add(key, group, t, value);
        } catch (RuntimeException e) {
            ctx.failed(counters, name, value, timestampMs, e);
        }
    }

    /** Adds a record (not late) of {@code key} at time {@code t} to its window(s). */
    protected abstract void add(Object key, int group, long t, Object value);

    /** Fires what the watermark (or, in processing time, the clock) {@code w} closes. */
    protected abstract void fire(long w);

    @Override
    public final void watermark(long watermarkMs) {
        if (watermarkMs <= watermark) {
            return;
        }
        watermark = watermarkMs;
        lateBefore = Watermarks.minus(watermarkMs, latenessMs);
        counters.watermark = watermarkMs;
        if (!processingTime) {
            fire(watermarkMs);
        }
        output.watermark(watermarkMs);
        late.watermark(watermarkMs);
    }

    @Override
    public void idle(boolean idle) {
        output.idle(idle);
        late.idle(idle);
    }

    /** Asks for an early-update callback one interval from now, unless one is pending. */
    protected final void requestEarlyUpdate() {
        if (nextEarlyMs == Long.MAX_VALUE) {
            nextEarlyMs = Watermarks.plus(ctx.clock.millis(), earlyMs);
            ctx.processingTime.schedule(timerHandle, nextEarlyMs);
        }
    }

    /** Whether an early-update callback is due at {@code nowMs} (and clears it). */
    protected final boolean earlyUpdateDue(long nowMs) {
        if (earlyMs > 0 && nowMs >= nextEarlyMs) {
            nextEarlyMs = Long.MAX_VALUE;
            return true;
        }
        return false;
    }

    @Override
    public DirtyGroups dirtyGroups() {
        return dirty;
    }
}
