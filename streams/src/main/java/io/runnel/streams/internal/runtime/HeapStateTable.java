package io.runnel.streams.internal.runtime;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.runnel.streams.internal.state.KeyGroups;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * A keyed state on the heap: a hash map per key group. Expired entries disappear on access, at
 * snapshots and in periodic sweeps. One task thread.
 */
final class HeapStateTable extends StateTable {

    /** A value with the time it was last used (only when a TTL is set). */
    static final class Timed {
        Object value;
        long touchedMs;

        Timed(Object value, long touchedMs) {
            this.value = value;
            this.touchedMs = touchedMs;
        }
    }

    private final TaskContext ctx;
    @SuppressWarnings({"unchecked", "rawtypes"}) // Java cannot create generic arrays; every slot holds the same map type
    private final HashMap<Object, Object>[] groups = new HashMap[KeyGroups.COUNT];

    HeapStateTable(TaskContext ctx, String name, long ttlMs, KeyedStateful.DirtyGroups dirty) {
        super(name, ttlMs, dirty);
        this.ctx = ctx;
    }

    @Override
    Object get(Object key, int group, long nowMs) {
        HashMap<Object, Object> m = groups[group];
        if (m == null) {
            return null;
        }
        Object v = m.get(key);
        if (ttlMs == 0 || v == null) {
            return v;
        }
        Timed t = (Timed) v;
        dirty.mark(group); // expired, or its time of use changes: either is part of the next checkpoint
        if (nowMs - t.touchedMs >= ttlMs) {
            m.remove(key);
            return null;
        }
        t.touchedMs = nowMs;
        return t.value;
    }

    @Override
    void put(Object key, int group, Object value, long nowMs) {
        HashMap<Object, Object> m = groups[group];
        if (m == null) {
            m = new HashMap<>();
            groups[group] = m;
        }
        dirty.mark(group);
        if (value == null) {
            m.remove(key);
        } else {
            m.put(key, ttlMs == 0 ? value : new Timed(value, nowMs));
        }
    }

    @Override
    void changed(Object key, int group, Object value, long nowMs) {
        dirty.mark(group); // the map holds the changed object itself (get renewed its time of use)
    }

    @Override
    void forEach(BitSet groupSet, EntryVisitor visitor) {
        for (int g = groupSet.nextSetBit(0); g >= 0; g = groupSet.nextSetBit(g + 1)) {
            HashMap<Object, Object> m = groups[g];
            if (m == null || m.isEmpty()) {
                continue;
            }
            Object[] entries = new Object[m.size() * 2];
            int n = 0;
            for (Map.Entry<Object, Object> e : m.entrySet()) {
                entries[n++] = e.getKey();
                entries[n++] = ttlMs == 0 ? e.getValue() : ((Timed) e.getValue()).value;
            }
            for (int i = 0; i < n; i += 2) {
                visitor.accept(entries[i], g, entries[i + 1]);
            }
        }
    }

    @Override
    int expire(long nowMs) {
        if (ttlMs == 0) {
            return 0;
        }
        int n = 0;
        for (int g = 0; g < groups.length; g++) {
            HashMap<Object, Object> m = groups[g];
            if (m == null) {
                continue;
            }
            for (Iterator<Object> it = m.values().iterator(); it.hasNext(); ) {
                if (nowMs - ((Timed) it.next()).touchedMs >= ttlMs) {
                    it.remove();
                    dirty.mark(g);
                    n++;
                }
            }
        }
        return n;
    }

    @Override
    boolean isEmpty(int group) {
        return groups[group] == null || groups[group].isEmpty();
    }

    @Override
    void snapshot(int group, Kryo kryo, Output out) {
        HashMap<Object, Object> m = groups[group];
        out.writeInt(m == null ? 0 : m.size());
        if (m == null) {
            return;
        }
        for (Map.Entry<Object, Object> e : m.entrySet()) {
            kryo.writeClassAndObject(out, e.getKey());
            if (ttlMs == 0) {
                kryo.writeClassAndObject(out, e.getValue());
            } else {
                Timed t = (Timed) e.getValue();
                kryo.writeClassAndObject(out, t.value);
                out.writeLong(t.touchedMs);
            }
        }
    }

    @Override
    void restore(int group, Kryo kryo, Input in, boolean withTimes, long nowMs) {
        int n = in.readInt();
        if (n == FILE_REFERENCE) {
            // taken while the job kept state on disk: load the file's live entries onto the heap, and
            // write the group as entries at the next checkpoint (the file is not kept for this job)
            HashMap<Object, Object> m = new HashMap<>();
            DiskStateTable.load(ctx, in.readString(), in.readLong(), kryo,
                    (key, value, touchedMs) -> m.put(key, ttlMs == 0 ? value : new Timed(value, touchedMs)));
            groups[group] = m;
            dirty.mark(group);
            return;
        }
        HashMap<Object, Object> m = new HashMap<>(Math.max(16, n * 2));
        for (int i = 0; i < n; i++) {
            Object key = kryo.readClassAndObject(in);
            Object value = kryo.readClassAndObject(in);
            long touched = withTimes ? in.readLong() : 0;
            if (ttlMs == 0) {
                m.put(key, value);
            } else {
                // restored entries get a fresh lease when the checkpoint had no times (TTL newly added)
                m.put(key, new Timed(value, withTimes ? touched : nowMs));
            }
        }
        groups[group] = m;
    }
}
