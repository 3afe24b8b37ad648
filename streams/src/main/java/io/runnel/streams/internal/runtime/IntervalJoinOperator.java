package io.runnel.streams.internal.runtime;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.function.BiFunction;

/**
 * Windowed stream-stream join: buffers each side's records per key and emits {@code joiner(l, r)}
 * (stamped {@code max(tl, tr)}) for every pair of the same key with {@code |tl - tr| <= within}, as soon
 * as the second of the pair arrives. A record with {@code t < W - lateness} is late (side output 0 for
 * the left input, 1 for the right); buffered records are dropped once no accepted record can pair with
 * them ({@code t < W - lateness - within}).
 *
 * <p>State: per key, both sides' buffered records ({@link Buffers}) in a {@link StateTable} (on the
 * heap, or on disk under {@code JobConfig.withStateMemoryLimit}); a cleanup visits every entry.
 * Snapshot blob of a key group: the {@link StateTable} blob of the buffers.
 */
public final class IntervalJoinOperator extends TwoInputOperator implements KeyedStateful {

    private final long withinMs;
    private final long latenessMs;
    private final BiFunction<Object, Object, Object> joiner;
    private final DirtyGroups dirty = new DirtyGroups();
    private StateTable buffers;
    /** The oldest buffered time, or MIN_VALUE when unknown (after a restore). */
    private long oldestMs = Long.MAX_VALUE;
    private long lastCleanupMs = Long.MIN_VALUE;

    /** Both sides' buffered records of one key, in arrival order. The value of the state table. */
    static final class Buffers {
        final ArrayList<Object> values = new ArrayList<>();
        long[] times = new long[4];
        boolean[] left = new boolean[4];

        int size() {
            return values.size();
        }

        void add(Object v, long t, boolean isLeft) {
            int n = values.size();
            if (n == times.length) {
                times = java.util.Arrays.copyOf(times, n * 2);
                left = java.util.Arrays.copyOf(left, n * 2);
            }
            values.add(v);
            times[n] = t;
            left[n] = isLeft;
        }
    }

    public IntervalJoinOperator(String name, long withinMs, long latenessMs, BiFunction<Object, Object, Object> joiner) {
        super(name);
        this.withinMs = withinMs;
        this.latenessMs = latenessMs;
        this.joiner = joiner;
    }

    @Override
    public void open(TaskContext context) {
        super.open(context);
        buffers = StateTable.create(context, name, "buffers", 0, dirty);
    }

    @Override
    protected void record(int input, Object value, long timestampMs) {
        counters.in++;
        if (timestampMs < Watermarks.minus(watermark(), latenessMs)) {
            counters.late++;
            sideOutput(input).record(value, timestampMs);
            return;
        }
        Object key = ctx.keys.key;
        int group = ctx.keys.keyGroup;
        long now = buffers.now(ctx);
        Buffers b = (Buffers) buffers.get(key, group, now);
        boolean fresh = b == null;
        if (fresh) {
            b = new Buffers();
        }
        boolean isLeft = input == 0;
        try {
            for (int i = 0; i < b.size(); i++) {
                if (b.left[i] != isLeft && Math.abs(b.times[i] - timestampMs) <= withinMs) {
                    Object r = isLeft ? joiner.apply(value, b.values.get(i)) : joiner.apply(b.values.get(i), value);
                    counters.out++;
                    output.record(r, Math.max(b.times[i], timestampMs));
                }
            }
        } catch (RuntimeException e) {
            ctx.failed(counters, name, value, timestampMs, e);
            return;
        }
        b.add(value, timestampMs, isLeft);
        if (fresh) {
            buffers.put(key, group, b, now);
        } else {
            buffers.changed(key, group, b, now);
        }
        oldestMs = Math.min(oldestMs, timestampMs);
    }

    @Override
    protected void onWatermark(long watermarkMs) {
        long dropBefore = Watermarks.minus(Watermarks.minus(watermarkMs, latenessMs), withinMs);
        // a cleanup visits every buffer: do it only when the watermark moved on by the window (at least
        // 1 s) since the last one, so buffers hold at most about twice what the join needs
        boolean due = watermarkMs == Long.MAX_VALUE || lastCleanupMs == Long.MIN_VALUE
                || dropBefore - lastCleanupMs >= Math.max(withinMs, 1000);
        if (dropBefore <= oldestMs || !due) {
            return;
        }
        lastCleanupMs = dropBefore;
        long[] oldest = {Long.MAX_VALUE};
        BitSet groups = new BitSet();
        groups.set(ctx.keyGroupStart, ctx.keyGroupEnd);
        long now = ctx.clock.millis();
        buffers.forEach(groups, (key, group, value) -> {
            Buffers b = (Buffers) value;
            Buffers kept = new Buffers();
            for (int i = 0; i < b.size(); i++) {
                if (b.times[i] >= dropBefore) {
                    kept.add(b.values.get(i), b.times[i], b.left[i]);
                    oldest[0] = Math.min(oldest[0], b.times[i]);
                }
            }
            if (kept.size() != b.size()) {
                buffers.put(key, group, kept.size() == 0 ? null : kept, now);
            }
        });
        oldestMs = oldest[0];
    }

    @Override
    public DirtyGroups dirtyGroups() {
        return dirty;
    }

    @Override
    public boolean snapshot(int keyGroup, Kryo kryo, Output out) {
        if (buffers.isEmpty(keyGroup)) {
            return false;
        }
        buffers.snapshot(keyGroup, kryo, out);
        return true;
    }

    @Override
    public void restore(int keyGroup, Kryo kryo, Input in) {
        buffers.restore(keyGroup, kryo, in, false, ctx.clock.millis());
        oldestMs = Long.MIN_VALUE; // the next cleanup finds it
    }
}
