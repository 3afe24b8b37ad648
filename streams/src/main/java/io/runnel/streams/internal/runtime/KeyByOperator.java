package io.runnel.streams.internal.runtime;

import io.runnel.streams.internal.state.KeyGroups;
import java.util.List;
import java.util.function.Function;

/**
 * Computes each record's key and key group and hands the record to the keyed consumers (local
 * operators or exchange writers), setting the task's {@link KeyContext} before each call.
 */
public final class KeyByOperator extends OneInputOperator {

    private final Function<Object, Object> keyFn;
    private Collector[] consumers = new Collector[0];
    private Class<?> lastKeyClass;

    public KeyByOperator(String name, Function<Object, Object> keyFn) {
        super(name);
        this.keyFn = keyFn;
    }

    public void setConsumers(List<Collector> cs) {
        consumers = cs.toArray(new Collector[0]);
        output = FanOut.of(cs);
    }

    @Override
    public void record(Object value, long timestampMs) {
        counters.in++;
        Object key;
        try {
            key = keyFn.apply(value);
            if (key == null) {
                throw new NullPointerException("the key function returned null (keys must not be null)");
            }
            if (key.getClass() != lastKeyClass) {
                KeyGroups.checkStableHash(key.getClass());
                lastKeyClass = key.getClass();
            }
        } catch (RuntimeException e) {
            ctx.failed(counters, name, value, timestampMs, e);
            return;
        }
        int group = KeyGroups.of(key);
        counters.out++;
        KeyContext keys = ctx.keys;
        for (Collector c : consumers) {
            // set before each consumer: an earlier consumer may have run another keyBy downstream
            keys.set(key, group);
            c.record(value, timestampMs);
        }
    }
}
