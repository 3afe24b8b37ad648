package io.runnel.streams.internal.exchange;

import com.lmax.disruptor.RingBuffer;
import io.runnel.streams.internal.runtime.Collector;
import io.runnel.streams.internal.runtime.KeyContext;
import io.runnel.streams.internal.state.KeyGroups;
import java.util.function.BooleanSupplier;

/**
 * The sending end of an exchange in one task: buffers records per receiving task (by key group for
 * a keyed exchange, to the same task index for a forward one) and publishes a whole batch per ring
 * slot by swapping arrays with it. Watermarks, idleness and barriers flush the buffers first and go
 * to every receiver, so each channel stays in order. One task thread.
 */
public final class ExchangeWriter implements Collector {

    private final RingBuffer<ExchangeSlot>[] rings;
    private final boolean keyed;
    private final int parallelism;
    private final int self;
    private final int batch;
    private final KeyContext keys;
    private final BooleanSupplier cancelled;
    private final Object[][] values;
    private final Object[][] keyBufs;
    private final int[][] groups;
    private final long[][] times;
    private final int[] sizes;
    private final BackoffIdler idler = new BackoffIdler();
    private long recordsSent;

    public ExchangeWriter(Exchange exchange, int self, int batch, KeyContext keys, BooleanSupplier cancelled) {
        this.rings = exchange.ringsFrom(self);
        this.keyed = exchange.keyed();
        this.parallelism = exchange.parallelism();
        this.self = self;
        this.batch = batch;
        this.keys = keys;
        this.cancelled = cancelled;
        values = new Object[parallelism][batch];
        keyBufs = new Object[parallelism][batch];
        groups = new int[parallelism][batch];
        times = new long[parallelism][batch];
        sizes = new int[parallelism];
    }

    @Override
    public void record(Object value, long timestampMs) {
        int target;
        int n;
        if (keyed) {
            int g = keys.keyGroup;
            target = KeyGroups.owner(g, parallelism);
            n = sizes[target];
            keyBufs[target][n] = keys.key;
            groups[target][n] = g;
        } else {
            target = self;
            n = sizes[target];
        }
        values[target][n] = value;
        times[target][n] = timestampMs;
        sizes[target] = ++n;
        if (n == batch) {
            publishRecords(target);
        }
    }

    @Override
    public void watermark(long watermarkMs) {
        flush();
        broadcast(ExchangeSlot.WATERMARK, watermarkMs, false);
    }

    @Override
    public void idle(boolean idle) {
        flush();
        broadcast(idle ? ExchangeSlot.IDLE : ExchangeSlot.ACTIVE, 0, false);
    }

    /** Sends a checkpoint barrier on every channel, after the records before it. */
    public void barrier(long checkpointId, boolean stop) {
        flush();
        broadcast(ExchangeSlot.BARRIER, checkpointId, stop);
    }

    /** Publishes every partly filled batch (end of a task loop iteration). */
    public void flush() {
        for (int t = 0; t < parallelism; t++) {
            if (sizes[t] > 0) {
                publishRecords(t);
            }
        }
    }

    public long recordsSent() {
        return recordsSent;
    }

    private void publishRecords(int target) {
        RingBuffer<ExchangeSlot> ring = rings[target];
        long seq = claim(ring);
        ExchangeSlot slot = ring.get(seq);
        // swap buffers with the slot: the receiver released it, so its arrays are ours to refill
        Object[] v = slot.values;
        slot.values = values[target];
        values[target] = v;
        Object[] k = slot.keys;
        slot.keys = keyBufs[target];
        keyBufs[target] = k;
        int[] g = slot.groups;
        slot.groups = groups[target];
        groups[target] = g;
        long[] t = slot.times;
        slot.times = times[target];
        times[target] = t;
        slot.kind = ExchangeSlot.RECORDS;
        slot.size = sizes[target];
        recordsSent += sizes[target];
        sizes[target] = 0;
        ring.publish(seq);
    }

    private void broadcast(int kind, long value, boolean stop) {
        for (RingBuffer<ExchangeSlot> ring : rings) {
            long seq = claim(ring);
            ExchangeSlot slot = ring.get(seq);
            slot.kind = kind;
            slot.size = 0;
            slot.value = value;
            slot.stop = stop;
            ring.publish(seq);
        }
    }

    private long claim(RingBuffer<ExchangeSlot> ring) {
        if (!ring.hasAvailableCapacity(1)) {
            waitForCapacity(ring);
        }
        return ring.next();
    }

    private void waitForCapacity(RingBuffer<ExchangeSlot> ring) {
        idler.reset();
        while (!ring.hasAvailableCapacity(1)) {
            if (cancelled.getAsBoolean()) {
                throw new CancelledException();
            }
            idler.idle();
        }
    }

    /** Thrown out of a blocked send when the job is cancelled. */
    public static final class CancelledException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public CancelledException() {
            super("job cancelled", null, false, false);
        }
    }
}
