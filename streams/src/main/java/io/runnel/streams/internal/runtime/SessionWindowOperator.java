package io.runnel.streams.internal.runtime;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.runnel.streams.Aggregator;
import io.runnel.streams.WindowResult;
import io.runnel.streams.Windows;
import io.runnel.streams.internal.state.KeyGroups;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Session windows per key. A session is {@code [start, last + gap]}; an event at {@code t} joins every
 * session with {@code start - gap <= t <= last + gap} (merging them when it bridges several) or starts
 * a new one. A session fires once when {@code W > last + gap} and keeps its state until
 * {@code W > last + gap + lateness}. Records with {@code t < W - lateness} are late.
 *
 * <p>Timers: each live session has one entry in a heap, at the time it next needs attention; an
 * entry that finds its session extended is pushed again (lazy re-scheduling, so a record that
 * extends a session costs no heap operation).
 */
public final class SessionWindowOperator extends WindowOperator {

    private final long gapMs;
    @SuppressWarnings({"unchecked", "rawtypes"}) // Java cannot create generic arrays; every slot holds the same map type
    private final HashMap<Object, ArrayList<Session>>[] groups = new HashMap[KeyGroups.COUNT];
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final LinkedHashSet<Session> changed = new LinkedHashSet<>();

    static final class Session {
        final Object key;
        final int group;
        long start;
        long last;
        Object acc;
        boolean fired;
        boolean removed;

        Session(Object key, int group, long start, long last, Object acc) {
            this.key = key;
            this.group = group;
            this.start = start;
            this.last = last;
            this.acc = acc;
        }
    }

    record Timer(long timeMs, Session session) implements Comparable<Timer> {
        @Override
        public int compareTo(Timer o) {
            return Long.compare(timeMs, o.timeMs);
        }
    }

    public SessionWindowOperator(String name, Windows windows, Aggregator<Object, Object, Object> agg) {
        super(name, windows, agg);
        this.gapMs = windows.gapMs();
    }

    @Override
    protected void add(Object key, int group, long t, Object value) {
        HashMap<Object, ArrayList<Session>> m = groups[group];
        if (m == null) {
            m = new HashMap<>();
            groups[group] = m;
        }
        ArrayList<Session> sessions = m.get(key);
        if (sessions == null) {
            sessions = new ArrayList<>(2);
            m.put(key, sessions);
        }
        Session target = null;
        boolean wasFired = false;
        for (int i = 0; i < sessions.size(); i++) {
            Session s = sessions.get(i);
            if (t >= s.start - gapMs && t <= s.last + gapMs) {
                wasFired |= s.fired;
                if (target == null) {
                    target = s;
                } else {
                    // the event bridges target and s: one session from now on
                    target.acc = agg.merge(target.acc, s.acc);
                    target.start = Math.min(target.start, s.start);
                    target.last = Math.max(target.last, s.last);
                    s.removed = true;
                    changed.remove(s);
                    sessions.remove(i--);
                }
            }
        }
        dirty.mark(group);
        if (target == null) {
            Session s = new Session(key, group, t, t, agg.add(agg.init(), value));
            int at = 0;
            while (at < sessions.size() && sessions.get(at).start < t) {
                at++;
            }
            sessions.add(at, s);
            schedule(s, Watermarks.plus(t, gapMs));
            afterChange(s);
            return;
        }
        target.acc = agg.add(target.acc, value);
        target.start = Math.min(target.start, t);
        target.last = Math.max(target.last, t);
        if (wasFired) {
            long end = target.last + gapMs;
            if (watermark > end) {
                target.fired = true;
                emit(target, WindowResult.Kind.LATE_UPDATE);
                return;
            }
            target.fired = false;
            schedule(target, end);
        }
        afterChange(target);
    }

    private void afterChange(Session s) {
        if (earlyMs > 0 && !s.fired) {
            changed.add(s);
            requestEarlyUpdate();
        }
    }

    private void schedule(Session s, long timeMs) {
        timers.add(new Timer(timeMs, s));
        if (processingTime) {
            // fires when the clock passes the time: W > end
            ctx.processingTime.schedule(timerHandle, Watermarks.plus(timers.peek().timeMs, 1));
        }
    }

    private void emit(Session s, WindowResult.Kind kind) {
        long end = s.last + gapMs;
        counters.out++;
        // stamped with the session's end: the latest time that still belongs to it
        output.record(new WindowResult<>(s.key, s.start, end, agg.result(s.acc), kind), end);
    }

    @Override
    protected void fire(long w) {
        long lateness = processingTime ? 0 : latenessMs;
        while (!timers.isEmpty() && timers.peek().timeMs < w) {
            Session s = timers.poll().session;
            if (s.removed) {
                continue;
            }
            long end = s.last + gapMs;
            if (!s.fired) {
                if (w > end) {
                    s.fired = true;
                    changed.remove(s);
                    dirty.mark(s.group);
                    emit(s, WindowResult.Kind.FINAL);
                    if (lateness == 0) {
                        remove(s);
                    } else {
                        timers.add(new Timer(Watermarks.plus(end, lateness), s));
                    }
                } else {
                    timers.add(new Timer(end, s));
                }
            } else {
                long cleanup = Watermarks.plus(end, lateness);
                if (w > cleanup) {
                    remove(s);
                } else {
                    timers.add(new Timer(cleanup, s));
                }
            }
        }
    }

    private void remove(Session s) {
        s.removed = true;
        dirty.mark(s.group);
        HashMap<Object, ArrayList<Session>> m = groups[s.group];
        ArrayList<Session> list = m.get(s.key);
        list.remove(s);
        if (list.isEmpty()) {
            m.remove(s.key);
        }
    }

    @Override
    public void onProcessingTime(long nowMs) {
        if (processingTime) {
            watermark = Math.max(watermark, nowMs);
            fire(nowMs);
        }
        if (earlyUpdateDue(nowMs)) {
            for (Session s : changed) {
                emit(s, WindowResult.Kind.EARLY);
            }
            changed.clear();
        }
        if (processingTime && !timers.isEmpty()) {
            ctx.processingTime.schedule(timerHandle, Watermarks.plus(timers.peek().timeMs, 1));
        }
    }

    @Override
    public boolean snapshot(int keyGroup, Kryo kryo, Output out) {
        HashMap<Object, ArrayList<Session>> m = groups[keyGroup];
        if (m == null || m.isEmpty()) {
            return false;
        }
        out.writeInt(m.size());
        for (Map.Entry<Object, ArrayList<Session>> e : m.entrySet()) {
            kryo.writeClassAndObject(out, e.getKey());
            out.writeInt(e.getValue().size());
            for (Session s : e.getValue()) {
                out.writeLong(s.start);
                out.writeLong(s.last);
                out.writeBoolean(s.fired);
                kryo.writeClassAndObject(out, s.acc);
            }
        }
        return true;
    }

    @Override
    public void restore(int keyGroup, Kryo kryo, Input in) {
        int keys = in.readInt();
        HashMap<Object, ArrayList<Session>> m = new HashMap<>();
        for (int k = 0; k < keys; k++) {
            Object key = kryo.readClassAndObject(in);
            int n = in.readInt();
            ArrayList<Session> list = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                long start = in.readLong();
                long last = in.readLong();
                boolean fired = in.readBoolean();
                Session s = new Session(key, keyGroup, start, last, kryo.readClassAndObject(in));
                s.fired = fired;
                list.add(s);
                long end = last + gapMs;
                schedule(s, fired ? Watermarks.plus(end, latenessMs) : end);
            }
            m.put(key, list);
        }
        groups[keyGroup] = m;
    }
}
