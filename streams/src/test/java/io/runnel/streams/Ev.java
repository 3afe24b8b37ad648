package io.runnel.streams;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A test event: key, event time, per-key sequence number, value. */
record Ev(String key, long ts, long seq, double value) {

    /**
     * {@code n} events over {@code keys} keys with times rising by 0..step ms, each shifted back by up
     * to {@code jitterMs} (out of order); per-key sequence numbers count from 1.
     */
    static List<Ev> random(Random rnd, int n, int keys, long step, long jitterMs) {
        List<Ev> out = new ArrayList<>();
        long[] seq = new long[keys];
        long base = 1_000_000 + rnd.nextInt(10_000);
        for (int i = 0; i < n; i++) {
            base += rnd.nextInt((int) step + 1);
            int k = rnd.nextInt(keys);
            long ts = base - (jitterMs == 0 ? 0 : (long) (rnd.nextDouble() * rnd.nextDouble() * (jitterMs + 1)));
            out.add(new Ev("k" + k, ts, ++seq[k], Math.round(rnd.nextGaussian() * 1000) / 10.0));
        }
        return out;
    }
}
