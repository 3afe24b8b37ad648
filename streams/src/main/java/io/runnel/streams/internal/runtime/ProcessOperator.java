package io.runnel.streams.internal.runtime;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.runnel.streams.KeyedProcessor;
import io.runnel.streams.MapState;
import io.runnel.streams.ProcessorContext;
import io.runnel.streams.TimeDomain;
import io.runnel.streams.ValueState;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Runs a {@link KeyedProcessor}: per-key value and map states (with the operator's TTL) and event-
 * and processing-time timers, all checkpointed by key group. Event-time timers fire when the
 * watermark reaches their time ({@code W >= t}), before the watermark is passed on.
 */
public final class ProcessOperator extends OneInputOperator implements KeyedStateful, ProcessingTimeService.Target {

    private final KeyedProcessor<Object, Object, Object> processor;
    private final long ttlMs;
    private final Map<String, StateTable> tables = new LinkedHashMap<>();
    private final DirtyGroups dirty = new DirtyGroups();
    private final PriorityQueue<Timer> eventTimers = new PriorityQueue<>();
    private final PriorityQueue<Timer> processingTimers = new PriorityQueue<>();
    @SuppressWarnings({"unchecked", "rawtypes"}) // Java cannot create generic arrays; every slot holds the same set type
    private final HashSet<Timer>[] liveTimers = new HashSet[io.runnel.streams.internal.state.KeyGroups.COUNT];
    private final Context context = new Context();
    private Object currentKey;
    private int currentGroup;
    private long currentTs;
    private long watermark = Long.MIN_VALUE;
    private int timerHandle;
    private long nextSweepMs = Long.MAX_VALUE;

    record Timer(long timeMs, TimeDomain domain, Object key, int group) implements Comparable<Timer> {
        @Override
        public int compareTo(Timer o) {
            return Long.compare(timeMs, o.timeMs);
        }
    }

    public ProcessOperator(String name, KeyedProcessor<Object, Object, Object> processor, long ttlMs) {
        super(name);
        this.processor = processor;
        this.ttlMs = ttlMs;
    }

    @Override
    public void open(TaskContext c) {
        super.open(c);
        timerHandle = c.processingTime.register(this);
        processor.open(context);
        if (ttlMs > 0) {
            nextSweepMs = Watermarks.plus(c.clock.millis(), ttlMs);
            c.processingTime.schedule(timerHandle, nextSweepMs);
        }
    }

    @Override
    public void record(Object value, long timestampMs) {
        counters.in++;
        currentKey = ctx.keys.key;
        currentGroup = ctx.keys.keyGroup;
        currentTs = timestampMs;
        try {
            processor.process(value, context);
        } catch (io.runnel.streams.JobFailedException e) {
            throw e;
        } catch (RuntimeException e) {
            ctx.failed(counters, name, value, timestampMs, e);
        }
    }

    @Override
    public void watermark(long watermarkMs) {
        if (watermarkMs <= watermark) {
            return;
        }
        watermark = watermarkMs;
        counters.watermark = watermarkMs;
        fireTimers(eventTimers, watermarkMs, TimeDomain.EVENT_TIME);
        output.watermark(watermarkMs);
    }

    @Override
    public void onProcessingTime(long nowMs) {
        fireTimers(processingTimers, nowMs, TimeDomain.PROCESSING_TIME);
        if (ttlMs > 0 && nowMs >= nextSweepMs) {
            for (StateTable t : tables.values()) {
                t.expire(nowMs);
            }
            nextSweepMs = Watermarks.plus(nowMs, ttlMs);
        }
        long next = Math.min(nextSweepMs, processingTimers.isEmpty() ? Long.MAX_VALUE : processingTimers.peek().timeMs);
        if (next != Long.MAX_VALUE) {
            ctx.processingTime.schedule(timerHandle, next);
        }
    }

    private void fireTimers(PriorityQueue<Timer> queue, long upToMs, TimeDomain domain) {
        while (!queue.isEmpty() && queue.peek().timeMs <= upToMs) {
            Timer t = queue.poll();
            if (liveTimers[t.group] == null || !liveTimers[t.group].remove(t)) {
                continue; // deleted
            }
            dirty.mark(t.group);
            currentKey = t.key;
            currentGroup = t.group;
            currentTs = t.timeMs;
            try {
                processor.onTimer(t.timeMs, domain, context);
            } catch (io.runnel.streams.JobFailedException e) {
                throw e;
            } catch (RuntimeException e) {
                ctx.failed(counters, name, "timer " + domain + "@" + t.timeMs + " of key " + t.key, t.timeMs, e);
            }
        }
    }

    private StateTable table(String stateName) {
        StateTable t = tables.get(stateName);
        if (t == null) {
            t = StateTable.create(ctx, name, stateName, ttlMs, dirty);
            tables.put(stateName, t);
        }
        return t;
    }

    private void addTimer(long timeMs, TimeDomain domain) {
        Timer t = new Timer(timeMs, domain, currentKey, currentGroup);
        if (timersOf(currentGroup).add(t)) {
            dirty.mark(currentGroup);
            if (domain == TimeDomain.EVENT_TIME) {
                eventTimers.add(t);
            } else {
                processingTimers.add(t);
                ctx.processingTime.schedule(timerHandle, timeMs);
            }
        }
    }

    private void deleteTimer(long timeMs, TimeDomain domain) {
        if (timersOf(currentGroup).remove(new Timer(timeMs, domain, currentKey, currentGroup))) {
            dirty.mark(currentGroup);
        }
    }

    private HashSet<Timer> timersOf(int group) {
        HashSet<Timer> set = liveTimers[group];
        if (set == null) {
            set = new HashSet<>();
            liveTimers[group] = set;
        }
        return set;
    }

    private final class Context implements ProcessorContext<Object, Object> {
        @Override public Object key() { return currentKey; }
        @Override public long timestampMs() { return currentTs; }
        @Override public long watermarkMs() { return watermark; }
        @Override public long processingTimeMs() { return ctx.clock.millis(); }

        @Override
        public void emit(Object value) {
            emit(value, currentTs);
        }

        @Override
        public void emit(Object value, long timestampMs) {
            counters.out++;
            output.record(value, timestampMs);
        }

        @Override
        public <V> ValueState<V> valueState(String stateName) {
            StateTable t = table(stateName);
            return new ValueState<>() {
                @SuppressWarnings("unchecked") // this state only ever holds V
                @Override public V value() { return (V) t.get(currentKey, currentGroup, ctx.clock.millis()); }
                @Override public void update(V value) { t.put(currentKey, currentGroup, value, ctx.clock.millis()); }
                @Override public void clear() { t.put(currentKey, currentGroup, null, ctx.clock.millis()); }
            };
        }

        @Override
        public <UK, UV> MapState<UK, UV> mapState(String stateName) {
            StateTable t = table(stateName);
            return new MapState<>() {
                // the map is the value of the current key: every change is followed by a put, so a
                // table that keeps values on disk writes the changed map (and a removed one is gone)
                @SuppressWarnings("unchecked") // this state only ever holds maps of UK to UV
                private HashMap<UK, UV> map() {
                    return (HashMap<UK, UV>) t.get(currentKey, currentGroup, ctx.clock.millis());
                }

                @Override public UV get(UK key) {
                    HashMap<UK, UV> m = map();
                    return m == null ? null : m.get(key);
                }

                @Override public void put(UK key, UV value) {
                    HashMap<UK, UV> m = map();
                    if (m == null) {
                        m = new HashMap<>();
                    }
                    m.put(key, value);
                    t.put(currentKey, currentGroup, m, ctx.clock.millis());
                }

                @Override public void remove(UK key) {
                    HashMap<UK, UV> m = map();
                    if (m != null && m.containsKey(key)) {
                        m.remove(key);
                        t.put(currentKey, currentGroup, m.isEmpty() ? null : m, ctx.clock.millis());
                    }
                }

                @Override public Map<UK, UV> entries() {
                    HashMap<UK, UV> m = map();
                    return m == null ? Collections.emptyMap() : Collections.unmodifiableMap(m);
                }

                @Override public void clear() {
                    t.put(currentKey, currentGroup, null, ctx.clock.millis());
                }
            };
        }

        @Override public void registerEventTimeTimer(long timeMs) { addTimer(timeMs, TimeDomain.EVENT_TIME); }
        @Override public void registerProcessingTimeTimer(long timeMs) { addTimer(timeMs, TimeDomain.PROCESSING_TIME); }
        @Override public void deleteEventTimeTimer(long timeMs) { deleteTimer(timeMs, TimeDomain.EVENT_TIME); }
        @Override public void deleteProcessingTimeTimer(long timeMs) { deleteTimer(timeMs, TimeDomain.PROCESSING_TIME); }
    }

    @Override
    public DirtyGroups dirtyGroups() {
        return dirty;
    }

    @Override
    public boolean snapshot(int keyGroup, Kryo kryo, Output out) {
        int tablesWithData = 0;
        for (StateTable t : tables.values()) {
            if (!t.isEmpty(keyGroup)) {
                tablesWithData++;
            }
        }
        HashSet<Timer> groupTimers = timersOf(keyGroup);
        int timers = groupTimers.size();
        if (tablesWithData == 0 && timers == 0) {
            return false;
        }
        out.writeInt(tablesWithData);
        for (StateTable t : tables.values()) {
            if (!t.isEmpty(keyGroup)) {
                out.writeString(t.name());
                out.writeBoolean(t.hasTtl());
                t.snapshot(keyGroup, kryo, out);
            }
        }
        out.writeInt(timers);
        for (Timer t : groupTimers) {
            out.writeByte(t.domain.ordinal());
            out.writeLong(t.timeMs);
            kryo.writeClassAndObject(out, t.key);
        }
        return true;
    }

    @Override
    public void restore(int keyGroup, Kryo kryo, Input in) {
        long now = ctx.clock.millis();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            String stateName = in.readString();
            boolean withTimes = in.readBoolean();
            table(stateName).restore(keyGroup, kryo, in, withTimes, now);
        }
        int timers = in.readInt();
        for (int i = 0; i < timers; i++) {
            TimeDomain domain = TimeDomain.values()[in.readByte()];
            long time = in.readLong();
            Timer t = new Timer(time, domain, kryo.readClassAndObject(in), keyGroup);
            if (timersOf(keyGroup).add(t)) {
                if (domain == TimeDomain.EVENT_TIME) {
                    eventTimers.add(t);
                } else {
                    processingTimers.add(t);
                    ctx.processingTime.schedule(timerHandle, time);
                }
            }
        }
    }
}
