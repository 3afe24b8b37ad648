package io.runnel.streams.internal.runtime;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.runnel.streams.Aggregator;
import io.runnel.streams.WindowResult;
import io.runnel.streams.Windows;
import io.runnel.streams.internal.state.KeyGroups;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Tumbling and hopping windows. State: one pane per window start, each holding an accumulator per
 * key, split by key group (so checkpoints write and restore whole groups). Per record: a cached pane
 * lookup and one hash lookup per window the record falls into.
 *
 * <p>Rules (docs/SEMANTICS.md): a record with time {@code t < W - lateness} is late and goes to the
 * late output; otherwise it is added to every window containing {@code t}. A window {@code [s, e)}
 * fires once when {@code W >= e}; it keeps its state until {@code W >= e + lateness}, and a record
 * added to a fired window re-emits that key's result as a late update. Processing-time windows use
 * the job clock for both the record's time and firing.
 */
public final class AlignedWindowOperator extends WindowOperator {

    private final long sizeMs;
    private final long advanceMs;
    private final TreeMap<Long, Pane> panes = new TreeMap<>();
    private Pane lastPane;

    /** The accumulators of one window, by key group and key. */
    static final class Pane {
        final long start;
        @SuppressWarnings({"unchecked", "rawtypes"}) // Java cannot create generic arrays; every slot holds the same map type
        final HashMap<Object, Object>[] groups = new HashMap[KeyGroups.COUNT];
        boolean fired;
        HashSet<Object> changed;

        Pane(long start) {
            this.start = start;
        }
    }

    public AlignedWindowOperator(String name, Windows windows, Aggregator<Object, Object, Object> agg) {
        super(name, windows, agg);
        this.sizeMs = windows.sizeMs();
        this.advanceMs = windows.advanceMs();
    }

    @Override
    protected void add(Object key, int group, long t, Object value) {
        if (advanceMs == sizeMs) {
            addTo(t - Math.floorMod(t, sizeMs), key, group, value);
        } else {
            long last = t - Math.floorMod(t, advanceMs);
            for (long start = last; start > t - sizeMs; start -= advanceMs) {
                addTo(start, key, group, value);
            }
        }
    }

    private void addTo(long start, Object key, int group, Object value) {
        Pane p = lastPane;
        if (p == null || p.start != start) {
            p = pane(start);
        }
        HashMap<Object, Object> m = p.groups[group];
        if (m == null) {
            m = new HashMap<>();
            p.groups[group] = m;
        }
        Object acc = m.get(key);
        Object updated = agg.add(acc == null ? agg.init() : acc, value);
        if (updated != acc) {
            m.put(key, updated);
        }
        dirty.mark(group);
        if (p.fired) {
            emit(p, key, updated, WindowResult.Kind.LATE_UPDATE);
        } else if (earlyMs > 0) {
            if (p.changed == null) {
                p.changed = new HashSet<>();
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

    private void emit(Pane p, Object key, Object acc, WindowResult.Kind kind) {
        long end = p.start + sizeMs;
        counters.out++;
        output.record(new WindowResult<>(key, p.start, end, agg.result(acc), kind), end - 1);
    }

    /** Fires every window with end <= {@code w} not fired yet, and drops those past their lateness. */
    @Override
    protected void fire(long w) {
        long dropBefore = processingTime ? w : Watermarks.minus(w, latenessMs);
        Iterator<Pane> it = panes.values().iterator();
        while (it.hasNext()) {
            Pane p = it.next();
            long end = p.start + sizeMs;
            if (end > w) {
                break;
            }
            if (!p.fired) {
                p.fired = true;
                p.changed = null;
                for (int g = 0; g < KeyGroups.COUNT; g++) {
                    HashMap<Object, Object> m = p.groups[g];
                    if (m != null) {
                        dirty.mark(g);
                        for (Map.Entry<Object, Object> e : m.entrySet()) {
                            emit(p, e.getKey(), e.getValue(), WindowResult.Kind.FINAL);
                        }
                    }
                }
            }
            if (end <= dropBefore) {
                for (int g = 0; g < KeyGroups.COUNT; g++) {
                    if (p.groups[g] != null) {
                        dirty.mark(g);
                    }
                }
                it.remove();
                if (lastPane == p) {
                    lastPane = null;
                }
            }
        }
    }

    @Override
    public void onProcessingTime(long nowMs) {
        if (processingTime) {
            fire(nowMs);
        }
        if (earlyUpdateDue(nowMs)) {
            for (Pane p : panes.values()) {
                if (!p.fired && p.changed != null) {
                    for (Object key : p.changed) {
                        HashMap<Object, Object> m = p.groups[KeyGroups.of(key)];
                        emit(p, key, m.get(key), WindowResult.Kind.EARLY);
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
            if (p.groups[keyGroup] != null && !p.groups[keyGroup].isEmpty()) {
                count++;
            }
        }
        if (count == 0) {
            return false;
        }
        out.writeInt(count);
        for (Pane p : panes.values()) {
            HashMap<Object, Object> m = p.groups[keyGroup];
            if (m == null || m.isEmpty()) {
                continue;
            }
            out.writeLong(p.start);
            out.writeBoolean(p.fired);
            out.writeInt(m.size());
            for (Map.Entry<Object, Object> e : m.entrySet()) {
                kryo.writeClassAndObject(out, e.getKey());
                kryo.writeClassAndObject(out, e.getValue());
            }
        }
        return true;
    }

    @Override
    public void restore(int keyGroup, Kryo kryo, Input in) {
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
            long start = in.readLong();
            boolean fired = in.readBoolean();
            int size = in.readInt();
            Pane p = pane(start);
            p.fired |= fired;
            HashMap<Object, Object> m = new HashMap<>(Math.max(16, size * 2));
            for (int k = 0; k < size; k++) {
                Object key = kryo.readClassAndObject(in);
                m.put(key, kryo.readClassAndObject(in));
            }
            p.groups[keyGroup] = m;
        }
    }
}
