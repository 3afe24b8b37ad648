package io.runnel.streams.internal.runtime;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.runnel.streams.internal.state.KeyGroups;
import java.util.BitSet;

/**
 * One named keyed state of an operator: a value per key, split by key group, with an optional
 * time-to-live in processing time (an entry not read or written for the TTL is gone). On the heap
 * ({@link HeapStateTable}, the default) or in files behind a bounded cache ({@link DiskStateTable},
 * {@code JobConfig.withStateMemoryLimit}). One task thread.
 *
 * <p>A value handed out by {@link #get} may be a copy: a change to it counts only once it is
 * {@link #put} back.
 *
 * <p>Snapshot blob of a key group, either form readable by either table:
 * <pre>
 * int count >= 0, then count x (Kryo key, Kryo value[, long touched if the table has a TTL])   entries
 * int -1, string file (relative to the state directory), long length                          a key-group file
 * </pre>
 */
abstract class StateTable {

    /** The count that marks a blob referring to a key-group file. */
    static final int FILE_REFERENCE = -1;

    protected final String name;
    protected final long ttlMs;
    protected final KeyedStateful.DirtyGroups dirty;

    protected StateTable(String name, long ttlMs, KeyedStateful.DirtyGroups dirty) {
        this.name = name;
        this.ttlMs = ttlMs;
        this.dirty = dirty;
    }

    /** The table of state {@code state} of {@code operator} in the task of {@code ctx}: on disk if the job keeps state there. */
    static StateTable create(TaskContext ctx, String operator, String state, long ttlMs, KeyedStateful.DirtyGroups dirty) {
        return ctx.stateCache() == null ? new HeapStateTable(ctx, state, ttlMs, dirty)
                : new DiskStateTable(ctx, operator, state, ttlMs, dirty);
    }

    final String name() {
        return name;
    }

    final boolean hasTtl() {
        return ttlMs > 0;
    }

    /** The value of {@code key}, or null (none, or expired at {@code nowMs}: then it is removed). */
    abstract Object get(Object key, int group, long nowMs);

    /** Sets the value of {@code key}; {@code null} removes it. */
    abstract void put(Object key, int group, Object value, long nowMs);

    /**
     * Stores {@code value}, the value {@link #get} just returned for {@code key}, after the caller
     * changed it in place. The heap table holds that very object, so it only marks the key group
     * for the next checkpoint; a disk table's value may be a copy, so it is {@link #put}.
     */
    void changed(Object key, int group, Object value, long nowMs) {
        put(key, group, value, nowMs);
    }

    /** The time for {@link #get} and {@link #put} at this moment: the clock's if the table has a TTL, else 0 (unused). */
    final long now(TaskContext ctx) {
        return ttlMs > 0 ? ctx.clock.millis() : 0;
    }

    /** Receives the entries of a table in {@link #forEach}. */
    @FunctionalInterface
    interface EntryVisitor {
        void accept(Object key, int group, Object value);
    }

    /**
     * Calls {@code visitor} once with every entry of the key groups in {@code groups}, group by group,
     * without checking or renewing time-to-live. The visitor may {@link #put} the key it visits (a
     * value may be a copy, as with {@link #get}); other changes meanwhile are not allowed. A disk table
     * reads its records one by one (the heap holds 8 bytes per entry of the group visited).
     */
    abstract void forEach(BitSet groups, EntryVisitor visitor);

    /**
     * Whether {@link #forEachWithHash} works: entries can be found by group and key hash alone, so a
     * caller that must find a key later (a timer) need not keep the key itself on the heap.
     */
    boolean findsByHash() {
        return false;
    }

    /**
     * Calls {@code visitor} with every entry of key group {@code group} whose key's
     * {@link KeyGroups#hash} is {@code hash} (usually one), like {@link #forEach}. Only where
     * {@link #findsByHash}.
     */
    void forEachWithHash(int group, int hash, EntryVisitor visitor) {
        throw new UnsupportedOperationException("state '" + name + "' finds entries by key only");
    }

    /** Drops entries expired at {@code nowMs}; returns how many. */
    abstract int expire(long nowMs);

    /** Whether key group {@code group} holds nothing (for a disk table: after {@link StateCache#prepareSnapshot}). */
    abstract boolean isEmpty(int group);

    abstract void snapshot(int group, Kryo kryo, Output out);

    /** Reads a blob written by either table's {@link #snapshot}; {@code withTimes}: its entries carry touched times. */
    abstract void restore(int group, Kryo kryo, Input in, boolean withTimes, long nowMs);
}
