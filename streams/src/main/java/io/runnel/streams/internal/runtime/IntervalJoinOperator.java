package io.runnel.streams.internal.runtime;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.runnel.streams.internal.state.KeyGroups;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Windowed stream-stream join: buffers each side's records per key and emits {@code joiner(l, r)}
 * (stamped {@code max(tl, tr)}) for every pair of the same key with {@code |tl - tr| <= within}, as soon
 * as the second of the pair arrives. A record with {@code t < W - lateness} is late (side output 0 for
 * the left input, 1 for the right); buffered records are dropped once no accepted record can pair with
 * them ({@code t < W - lateness - within}).
 */
public final class IntervalJoinOperator extends TwoInputOperator implements KeyedStateful {

    private final long withinMs;
    private final long latenessMs;
    private final BiFunction<Object, Object, Object> joiner;
    @SuppressWarnings({"unchecked", "rawtypes"}) // Java cannot create generic arrays; every slot holds the same map type
    private final HashMap<Object, Buffers>[] groups = new HashMap[KeyGroups.COUNT];
    private final DirtyGroups dirty = new DirtyGroups();
    private long oldestMs = Long.MAX_VALUE;
    private long lastCleanupMs = Long.MIN_VALUE;

    /** Both sides' buffered records of one key, in arrival order. */
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
    protected void record(int input, Object value, long timestampMs) {
        counters.in++;
        if (timestampMs < Watermarks.minus(watermark(), latenessMs)) {
            counters.late++;
            sideOutput(input).record(value, timestampMs);
            return;
        }
        Object key = ctx.keys.key;
        int group = ctx.keys.keyGroup;
        HashMap<Object, Buffers> m = groups[group];
        if (m == null) {
            m = new HashMap<>();
            groups[group] = m;
        }
        Buffers b = m.get(key);
        if (b == null) {
            b = new Buffers();
            m.put(key, b);
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
        dirty.mark(group);
        oldestMs = Math.min(oldestMs, timestampMs);
    }

    @Override
    protected void onWatermark(long watermarkMs) {
        long dropBefore = Watermarks.minus(Watermarks.minus(watermarkMs, latenessMs), withinMs);
        // a cleanup scans every buffer: do it only when the watermark moved on by the window (at least
        // 1 s) since the last one, so buffers hold at most about twice what the join needs
        boolean due = watermarkMs == Long.MAX_VALUE || lastCleanupMs == Long.MIN_VALUE
                || dropBefore - lastCleanupMs >= Math.max(withinMs, 1000);
        if (dropBefore <= oldestMs || !due) {
            return;
        }
        lastCleanupMs = dropBefore;
        long oldest = Long.MAX_VALUE;
        for (int g = 0; g < groups.length; g++) {
            HashMap<Object, Buffers> m = groups[g];
            if (m == null) {
                continue;
            }
            for (Iterator<Map.Entry<Object, Buffers>> it = m.entrySet().iterator(); it.hasNext(); ) {
                Buffers b = it.next().getValue();
                Buffers kept = new Buffers();
                for (int i = 0; i < b.size(); i++) {
                    if (b.times[i] >= dropBefore) {
                        kept.add(b.values.get(i), b.times[i], b.left[i]);
                        oldest = Math.min(oldest, b.times[i]);
                    }
                }
                if (kept.size() != b.size()) {
                    dirty.mark(g);
                    if (kept.size() == 0) {
                        it.remove();
                    } else {
                        b.values.clear();
                        b.values.addAll(kept.values);
                        b.times = kept.times;
                        b.left = kept.left;
                    }
                }
            }
        }
        oldestMs = oldest;
    }

    @Override
    public DirtyGroups dirtyGroups() {
        return dirty;
    }

    @Override
    public boolean snapshot(int keyGroup, Kryo kryo, Output out) {
        HashMap<Object, Buffers> m = groups[keyGroup];
        if (m == null || m.isEmpty()) {
            return false;
        }
        out.writeInt(m.size());
        for (Map.Entry<Object, Buffers> e : m.entrySet()) {
            kryo.writeClassAndObject(out, e.getKey());
            Buffers b = e.getValue();
            out.writeInt(b.size());
            for (int i = 0; i < b.size(); i++) {
                out.writeLong(b.times[i]);
                out.writeBoolean(b.left[i]);
                kryo.writeClassAndObject(out, b.values.get(i));
            }
        }
        return true;
    }

    @Override
    public void restore(int keyGroup, Kryo kryo, Input in) {
        int keys = in.readInt();
        HashMap<Object, Buffers> m = new HashMap<>();
        for (int k = 0; k < keys; k++) {
            Object key = kryo.readClassAndObject(in);
            int n = in.readInt();
            Buffers b = new Buffers();
            for (int i = 0; i < n; i++) {
                long t = in.readLong();
                boolean isLeft = in.readBoolean();
                b.add(kryo.readClassAndObject(in), t, isLeft);
                oldestMs = Math.min(oldestMs, t);
            }
            m.put(key, b);
        }
        groups[keyGroup] = m;
    }
}
