package io.runnel.streams.internal.runtime;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.runnel.streams.Aggregator;
import io.runnel.streams.WindowResult;
import io.runnel.streams.Windows;
import io.runnel.streams.internal.state.KeyGroups;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.PriorityQueue;

/**
 * Session windows per key. A session is {@code [start, last + gap]}; an event at {@code t} joins every
 * session with {@code start - gap <= t <= last + gap} (merging them when it bridges several) or starts
 * a new one. A session fires once when {@code W > last + gap} and keeps its state until
 * {@code W > last + gap + lateness}. Records with {@code t < W - lateness} are late.
 *
 * <p>State: per key, its sessions ({@link KeySessions}) in a {@link StateTable} (on the heap, or on
 * disk under {@code JobConfig.withStateMemoryLimit}). Timers stay on the heap: one per key with
 * sessions, at the time the key next needs attention, holding the key's group and hash (and the key
 * itself only when the state is on the heap anyway; a disk table finds the keys with a hash). A timer
 * that finds the key's sessions extended pushes itself again (lazy re-scheduling, so a record that
 * extends a session costs no timer operation). The timers are not checkpointed: a restore rebuilds
 * them from the sessions.
 *
 * <p>Snapshot blob of a key group: the {@link StateTable} blob of the sessions.
 */
public final class SessionWindowOperator extends WindowOperator {

    private final long gapMs;
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    /** Keys with sessions changed since the last early update. */
    private final LinkedHashSet<Object> changed = new LinkedHashSet<>();
    private StateTable sessions;

    /** One session of a key. */
    static final class Session {
        long start;
        long last;
        Object acc;
        boolean fired;
        /** Changed since the last early update. */
        boolean changed;

        Session(long start, long last, Object acc) {
            this.start = start;
            this.last = last;
            this.acc = acc;
        }
    }

    /** The sessions of one key by start, and the time of its pending timer. The value of the state table. */
    static final class KeySessions {
        final ArrayList<Session> list = new ArrayList<>(2);
        long timerMs = Long.MAX_VALUE;
    }

    /** When key {@code key} (null: a key of {@code group} whose {@link KeyGroups#hash} is {@code hash}) needs attention. */
    record Timer(long timeMs, int group, int hash, Object key) implements Comparable<Timer> {
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
    public void open(TaskContext context) {
        super.open(context);
        sessions = StateTable.create(context, name, "sessions", 0, dirty);
    }

    @Override
    protected void add(Object key, int group, long t, Object value) {
        long now = sessions.now(ctx);
        KeySessions ks = (KeySessions) sessions.get(key, group, now);
        boolean fresh = ks == null;
        if (fresh) {
            ks = new KeySessions();
        }
        addTo(ks, key, group, t, value);
        if (fresh) {
            sessions.put(key, group, ks, now);
        } else {
            sessions.changed(key, group, ks, now);
        }
    }

    private void addTo(KeySessions ks, Object key, int group, long t, Object value) {
        ArrayList<Session> list = ks.list;
        Session target = null;
        boolean wasFired = false;
        for (int i = 0; i < list.size(); i++) {
            Session s = list.get(i);
            if (t >= s.start - gapMs && t <= s.last + gapMs) {
                wasFired |= s.fired;
                if (target == null) {
                    target = s;
                } else {
                    // the event bridges target and s: one session from now on
                    target.acc = agg.merge(target.acc, s.acc);
                    target.start = Math.min(target.start, s.start);
                    target.last = Math.max(target.last, s.last);
                    target.changed |= s.changed;
                    list.remove(i--);
                }
            }
        }
        if (target == null) {
            Session s = new Session(t, t, agg.add(agg.init(), value));
            int at = 0;
            while (at < list.size() && list.get(at).start < t) {
                at++;
            }
            list.add(at, s);
            schedule(ks, key, group, Watermarks.plus(t, gapMs));
            afterChange(key, s);
            return;
        }
        target.acc = agg.add(target.acc, value);
        target.start = Math.min(target.start, t);
        target.last = Math.max(target.last, t);
        if (wasFired) {
            long end = target.last + gapMs;
            if (watermark > end) {
                target.fired = true;
                emit(key, target, WindowResult.Kind.LATE_UPDATE);
                return;
            }
            target.fired = false;
            schedule(ks, key, group, end);
        }
        afterChange(key, target);
    }

    private void afterChange(Object key, Session s) {
        if (earlyMs > 0 && !s.fired) {
            s.changed = true;
            changed.add(key);
            requestEarlyUpdate();
        }
    }

    /** Makes sure the key gets attention at {@code timeMs} (a later pending timer re-schedules itself). */
    private void schedule(KeySessions ks, Object key, int group, long timeMs) {
        if (timeMs >= ks.timerMs) {
            return;
        }
        ks.timerMs = timeMs;
        timers.add(timer(timeMs, key, group));
        if (processingTime) {
            // fires when the clock passes the time: W > end
            ctx.processingTime.schedule(timerHandle, Watermarks.plus(timers.peek().timeMs, 1));
        }
    }

    private Timer timer(long timeMs, Object key, int group) {
        return new Timer(timeMs, group, KeyGroups.hash(key), sessions.findsByHash() ? null : key);
    }

    private void emit(Object key, Session s, WindowResult.Kind kind) {
        long end = s.last + gapMs;
        counters.out++;
        // stamped with the session's end: the latest time that still belongs to it
        output.record(new WindowResult<>(key, s.start, end, agg.result(s.acc), kind), end);
    }

    @Override
    protected void fire(long w) {
        while (!timers.isEmpty() && timers.peek().timeMs < w) {
            Timer timer = timers.poll();
            if (timer.key != null) {
                attend(timer.key, timer.group, sessions.get(timer.key, timer.group, ctx.clock.millis()), timer.timeMs, w);
            } else {
                sessions.forEachWithHash(timer.group, timer.hash, (key, group, value) -> attend(key, group, value, timer.timeMs, w));
            }
        }
    }

    /**
     * The timer at {@code timeMs} of {@code key} (sessions {@code value}) is due at {@code w}: fires
     * the sessions that ended, drops those past their lateness, and sets the key's next timer.
     */
    private void attend(Object key, int group, Object value, long timeMs, long w) {
        KeySessions ks = (KeySessions) value;
        if (ks == null || ks.timerMs != timeMs) {
            return; // superseded by an earlier timer of the key (or another key with the same hash)
        }
        long lateness = processingTime ? 0 : latenessMs;
        ks.timerMs = Long.MAX_VALUE;
        long next = Long.MAX_VALUE;
        for (Iterator<Session> it = ks.list.iterator(); it.hasNext(); ) {
            Session s = it.next();
            long end = s.last + gapMs;
            if (!s.fired && w > end) {
                s.fired = true;
                s.changed = false;
                emit(key, s, WindowResult.Kind.FINAL);
            }
            if (!s.fired) {
                next = Math.min(next, end);
            } else if (w > Watermarks.plus(end, lateness)) {
                it.remove();
            } else {
                next = Math.min(next, Watermarks.plus(end, lateness));
            }
        }
        if (next != Long.MAX_VALUE) {
            schedule(ks, key, group, next);
        }
        sessions.put(key, group, ks.list.isEmpty() ? null : ks, ctx.clock.millis());
    }

    @Override
    public void onProcessingTime(long nowMs) {
        if (processingTime) {
            watermark = Math.max(watermark, nowMs);
            fire(nowMs);
        }
        if (earlyUpdateDue(nowMs)) {
            long now = ctx.clock.millis();
            for (Object key : changed) {
                int group = KeyGroups.of(key);
                KeySessions ks = (KeySessions) sessions.get(key, group, now);
                if (ks == null) {
                    continue;
                }
                for (Session s : ks.list) {
                    if (s.changed && !s.fired) {
                        emit(key, s, WindowResult.Kind.EARLY);
                    }
                    s.changed = false;
                }
                sessions.put(key, group, ks, now);
            }
            changed.clear();
        }
        if (processingTime && !timers.isEmpty()) {
            ctx.processingTime.schedule(timerHandle, Watermarks.plus(timers.peek().timeMs, 1));
        }
    }

    @Override
    public boolean snapshot(int keyGroup, Kryo kryo, Output out) {
        if (sessions.isEmpty(keyGroup)) {
            return false;
        }
        sessions.snapshot(keyGroup, kryo, out);
        return true;
    }

    @Override
    public void restore(int keyGroup, Kryo kryo, Input in) {
        sessions.restore(keyGroup, kryo, in, false, ctx.clock.millis());
        BitSet group = new BitSet();
        group.set(keyGroup);
        sessions.forEach(group, (key, g, value) -> {
            timers.add(timer(((KeySessions) value).timerMs, key, g));
            if (processingTime) {
                ctx.processingTime.schedule(timerHandle, Watermarks.plus(timers.peek().timeMs, 1));
            }
        });
    }
}
