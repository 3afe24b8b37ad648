package io.runnel.streams.internal.runtime;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.runnel.streams.Aggregator;
import io.runnel.streams.WindowResult;
import io.runnel.streams.Windows;
import io.runnel.streams.internal.state.KeyGroups;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.TreeMap;

/**
 * Tumbling and hopping windows. State: per key, the accumulators of its open windows
 * ({@link KeyWindows}) in a {@link StateTable} (on the heap, or on disk under
 * {@code JobConfig.withStateMemoryLimit}); per window, a {@link Pane} on the heap that knows whether
 * it fired and which key groups have keys in it (a few bytes per window, nothing per key). Per
 * record: one state read and write, and a look-up per window the record falls into. Firing or
 * dropping a window visits every entry of the table once (the keys of a window are not indexed).
 *
 * <p>Rules (docs/SEMANTICS.md): a record with time {@code t < W - lateness} is late and goes to the
 * late output; otherwise it is added to every window containing {@code t}. A window {@code [s, e)}
 * fires once when {@code W >= e}; it keeps its state until {@code W >= e + lateness}, and a record
 * added to a fired window re-emits that key's result as a late update. Processing-time windows use
 * the job clock for both the record's time and firing.
 *
 * <p>Snapshot blob of a key group: {@code int panes, panes x (long start, boolean fired)}, then
 * {@code boolean} and, if true, the {@link StateTable} blob of the accumulators.
 */
public final class AlignedWindowOperator extends WindowOperator {

    private final long sizeMs;
    private final long advanceMs;
    private final TreeMap<Long, Pane> panes = new TreeMap<>();
    private StateTable windows;
    private Pane lastPane;

    /** One window: whether it fired, the key groups holding its keys, the keys changed since the last early update. */
    static final class Pane {
        final long start;
        final BitSet groups = new BitSet(KeyGroups.COUNT);
        boolean fired;
        LinkedHashSet<Object> changed;

        Pane(long start) {
            this.start = start;
        }
    }

    /** The accumulators of one key's open windows, by window start (ascending). The value of the state table. */
    static final class KeyWindows {
        // room for one window: a tumbling window's key usually has one open
        long[] starts = new long[1];
        Object[] accs = new Object[1];
        int size;

        int indexOf(long start) {
            for (int i = 0; i < size; i++) {
                if (starts[i] == start) {
                    return i;
                }
            }
            return -1;
        }

        /** Index of the accumulator of window {@code start}, created (null) if missing. */
        int slot(long start) {
            int i = indexOf(start);
            if (i >= 0) {
                return i;
            }
            if (size == starts.length) {
                starts = Arrays.copyOf(starts, size * 2);
                accs = Arrays.copyOf(accs, size * 2);
            }
            int at = size;
            while (at > 0 && starts[at - 1] > start) {
                starts[at] = starts[at - 1];
                accs[at] = accs[at - 1];
                at--;
            }
            starts[at] = start;
            accs[at] = null;
            size++;
            return at;
        }

        /** Drops the windows starting before {@code start}; returns whether any was. */
        boolean dropBefore(long start) {
            int n = 0;
            while (n < size && starts[n] < start) {
                n++;
            }
            if (n == 0) {
                return false;
            }
            System.arraycopy(starts, n, starts, 0, size - n);
            System.arraycopy(accs, n, accs, 0, size - n);
            Arrays.fill(accs, size - n, size, null);
            size -= n;
            return true;
        }
    }

    public AlignedWindowOperator(String name, Windows windows, Aggregator<Object, Object, Object> agg) {
        super(name, windows, agg);
        this.sizeMs = windows.sizeMs();
        this.advanceMs = windows.advanceMs();
    }

    @Override
    public void open(TaskContext context) {
        super.open(context);
        windows = StateTable.create(context, name, "windows", 0, dirty);
    }

    @Override
    protected void add(Object key, int group, long t, Object value) {
        long now = windows.now(ctx);
        KeyWindows kw = (KeyWindows) windows.get(key, group, now);
        boolean fresh = kw == null;
        if (fresh) {
            kw = new KeyWindows();
        }
        if (advanceMs == sizeMs) {
            addTo(kw, t - Math.floorMod(t, sizeMs), key, group, value);
        } else {
            long last = t - Math.floorMod(t, advanceMs);
            for (long start = last; start > t - sizeMs; start -= advanceMs) {
                addTo(kw, start, key, group, value);
            }
        }
        if (fresh) {
            windows.put(key, group, kw, now);
        } else {
            windows.changed(key, group, kw, now);
        }
    }

    private void addTo(KeyWindows kw, long start, Object key, int group, Object value) {
        Pane p = lastPane;
        if (p == null || p.start != start) {
            p = pane(start);
        }
        p.groups.set(group);
        int i = kw.slot(start);
        Object acc = kw.accs[i];
        Object updated = agg.add(acc == null ? agg.init() : acc, value);
        kw.accs[i] = updated;
        if (p.fired) {
            emit(start, key, updated, WindowResult.Kind.LATE_UPDATE);
        } else if (earlyMs > 0) {
            if (p.changed == null) {
                p.changed = new LinkedHashSet<>();
            }
            p.changed.add(key);
            requestEarlyUpdate();
        }
    }

    private Pane pane(long start) {
        Pane p = panes.get(start);
        if (p == null) {
            p = new Pane(start);
            panes.put(start, p);
            if (processingTime) {
                ctx.processingTime.schedule(timerHandle, start + sizeMs);
            }
        }
        lastPane = p;
        return p;
    }

    private void emit(long start, Object key, Object acc, WindowResult.Kind kind) {
        long end = start + sizeMs;
        counters.out++;
        output.record(new WindowResult<>(key, start, end, agg.result(acc), kind), end - 1);
    }

    /**
     * Fires every window with end <= {@code w} not fired yet, oldest first, and drops those past their
     * lateness: one pass over the state per window that fires, the last (or a pass of its own) also
     * dropping.
     */
    @Override
    protected void fire(long w) {
        if (panes.isEmpty() || panes.firstKey() + sizeMs > w) {
            return;
        }
        long dropBefore = processingTime ? w : Watermarks.minus(w, latenessMs);
        List<Pane> firing = new ArrayList<>();
        long keepFrom = Long.MIN_VALUE; // the windows starting before this are dropped
        BitSet dropGroups = new BitSet(KeyGroups.COUNT);
        for (Iterator<Pane> it = panes.values().iterator(); it.hasNext(); ) {
            Pane p = it.next();
            long end = p.start + sizeMs;
            if (end > w) {
                break;
            }
            if (!p.fired) {
                firing.add(p);
            }
            if (end <= dropBefore) {
                keepFrom = p.start + 1;
                dropGroups.or(p.groups);
                it.remove();
                if (lastPane == p) {
                    lastPane = null;
                }
            }
        }
        for (int i = 0; i < firing.size(); i++) {
            Pane p = firing.get(i);
            p.fired = true;
            p.changed = null;
            BitSet groups = (BitSet) p.groups.clone();
            boolean last = i == firing.size() - 1;
            if (last) {
                groups.or(dropGroups);
            }
            pass(p, last ? keepFrom : Long.MIN_VALUE, groups);
        }
        if (firing.isEmpty() && keepFrom != Long.MIN_VALUE) {
            pass(null, keepFrom, dropGroups);
        }
    }

    /**
     * One pass over the entries of key groups {@code groups}: emits the final results of window
     * {@code firing} (unless null) and drops the windows starting before {@code keepFrom}.
     */
    private void pass(Pane firing, long keepFrom, BitSet groups) {
        for (int g = groups.nextSetBit(0); g >= 0; g = groups.nextSetBit(g + 1)) {
            dirty.mark(g); // a fired flag or dropped windows: part of the next checkpoint
        }
        long now = ctx.clock.millis();
        windows.forEach(groups, (key, group, value) -> {
            KeyWindows kw = (KeyWindows) value;
            int i = firing == null ? -1 : kw.indexOf(firing.start);
            if (i >= 0) {
                emit(firing.start, key, kw.accs[i], WindowResult.Kind.FINAL);
            }
            if (kw.dropBefore(keepFrom)) {
                windows.put(key, group, kw.size == 0 ? null : kw, now);
            }
        });
    }

    @Override
    public void onProcessingTime(long nowMs) {
        if (processingTime) {
            fire(nowMs);
        }
        if (earlyUpdateDue(nowMs)) {
            long now = ctx.clock.millis();
            for (Pane p : panes.values()) {
                if (!p.fired && p.changed != null) {
                    for (Object key : p.changed) {
                        KeyWindows kw = (KeyWindows) windows.get(key, KeyGroups.of(key), now);
                        int i = kw == null ? -1 : kw.indexOf(p.start);
                        if (i >= 0) {
                            emit(p.start, key, kw.accs[i], WindowResult.Kind.EARLY);
                        }
                    }
                    p.changed = null;
                }
            }
        }
        if (processingTime && !panes.isEmpty()) {
            ctx.processingTime.schedule(timerHandle, panes.firstKey() + sizeMs);
        }
    }

    @Override
    public boolean snapshot(int keyGroup, Kryo kryo, Output out) {
        int count = 0;
        for (Pane p : panes.values()) {
            if (p.groups.get(keyGroup)) {
                count++;
            }
        }
        boolean hasState = !windows.isEmpty(keyGroup);
        if (count == 0 && !hasState) {
            return false;
        }
        out.writeInt(count);
        for (Pane p : panes.values()) {
            if (p.groups.get(keyGroup)) {
                out.writeLong(p.start);
                out.writeBoolean(p.fired);
            }
        }
        out.writeBoolean(hasState);
        if (hasState) {
            windows.snapshot(keyGroup, kryo, out);
        }
        return true;
    }

    @Override
    public void restore(int keyGroup, Kryo kryo, Input in) {
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
            Pane p = pane(in.readLong());
            p.fired |= in.readBoolean();
            p.groups.set(keyGroup);
        }
        if (in.readBoolean()) {
            windows.restore(keyGroup, kryo, in, false, ctx.clock.millis());
        }
    }
}
