package io.runnel.streams.internal.runtime;

import com.esotericsoftware.kryo.io.Input;
import io.runnel.streams.internal.state.KeyGroups;
import io.runnel.streams.internal.state.KryoCodec;
import java.util.Map;

/** Takes and restores an operator's keyed state by key group, as a task's checkpoint and restore do; random input times (tests). */
final class Snapshots {

    private Snapshots() {
    }

    /** Writes every key group of {@code op} (of the task of {@code ctx}) that holds state into {@code blobs}. */
    static void take(KeyedStateful op, TaskContext ctx, Map<Integer, byte[]> blobs) {
        if (ctx.stateCache() != null) {
            ctx.stateCache().prepareSnapshot();
        }
        KryoCodec codec = new KryoCodec();
        for (int g = 0; g < KeyGroups.COUNT; g++) {
            if (op.snapshot(g, codec.kryo(), codec.begin())) {
                blobs.put(g, codec.finish());
            }
        }
    }

    /**
     * {@code n} event times rising by 0 to {@code maxStep - 1} ms, each shifted back by less than
     * {@code boundMs} (within the bound) or, one in ten, by less than {@code farMs} (late, mostly).
     */
    static long[] times(java.util.Random rnd, int n, int maxStep, long boundMs, long farMs) {
        long[] out = new long[n];
        long t = 10_000;
        for (int i = 0; i < n; i++) {
            t += rnd.nextInt(maxStep);
            out[i] = t - (rnd.nextInt(10) == 0 ? rnd.nextInt((int) farMs) : rnd.nextInt((int) boundMs));
        }
        return out;
    }

    /** Reads the blobs of the key groups that the task of {@code ctx} owns into {@code op}. */
    static void restore(KeyedStateful op, TaskContext ctx, Map<Integer, byte[]> blobs) {
        KryoCodec codec = new KryoCodec();
        for (int g = ctx.keyGroupStart; g < ctx.keyGroupEnd; g++) {
            if (blobs.containsKey(g)) {
                op.restore(g, codec.kryo(), new Input(blobs.get(g)));
            }
        }
    }
}
