package io.runnel.streams.internal.runtime;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.function.BiFunction;

/**
 * Stream-table enrichment: input 1 keeps the latest value per key (keyed state, checkpointed, with
 * the table's TTL); each record of input 0 is joined with the value its key has when the record is
 * processed.
 */
public final class TableJoinOperator extends TwoInputOperator implements KeyedStateful {

    private final BiFunction<Object, Object, Object> joiner;
    private final boolean leftJoin;
    private final DirtyGroups dirty = new DirtyGroups();
    private final long ttlMs;
    private StateTable table;

    public TableJoinOperator(String name, BiFunction<Object, Object, Object> joiner, boolean leftJoin, long ttlMs) {
        super(name);
        this.joiner = joiner;
        this.leftJoin = leftJoin;
        this.ttlMs = ttlMs;
    }

    @Override
    public void open(TaskContext context) {
        super.open(context);
        table = StateTable.create(context, name, "table", ttlMs, dirty);
    }

    @Override
    protected void record(int input, Object value, long timestampMs) {
        counters.in++;
        Object key = ctx.keys.key;
        int group = ctx.keys.keyGroup;
        long now = ctx.clock.millis();
        if (input == 1) {
            table.put(key, group, value, now);
            return;
        }
        Object v = table.get(key, group, now);
        if (v == null && !leftJoin) {
            return;
        }
        Object r;
        try {
            r = joiner.apply(value, v);
        } catch (RuntimeException e) {
            ctx.failed(counters, name, value, timestampMs, e);
            return;
        }
        counters.out++;
        output.record(r, timestampMs);
    }

    @Override
    public DirtyGroups dirtyGroups() {
        return dirty;
    }

    @Override
    public boolean snapshot(int keyGroup, Kryo kryo, Output out) {
        if (table.isEmpty(keyGroup)) {
            return false;
        }
        out.writeBoolean(table.hasTtl());
        table.snapshot(keyGroup, kryo, out);
        return true;
    }

    @Override
    public void restore(int keyGroup, Kryo kryo, Input in) {
        boolean withTimes = in.readBoolean();
        table.restore(keyGroup, kryo, in, withTimes, ctx.clock.millis());
    }
}
