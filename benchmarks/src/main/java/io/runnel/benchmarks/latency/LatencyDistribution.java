package io.runnel.benchmarks.latency;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Latency at a fixed set of percentiles, in microseconds: what the report draws. Immutable.
 *
 * @param percentiles ascending percentiles (50.0, 90.0, ..., 100.0 for the maximum)
 * @param micros the latency at each percentile
 */
public record LatencyDistribution(double[] percentiles, long[] micros) {

    /** The percentiles recorded for every latency result. */
    public static final double[] POINTS = {50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 100};

    public LatencyDistribution {
        if (percentiles.length != micros.length || percentiles.length == 0) {
            throw new IllegalArgumentException("need as many percentiles as values, and at least one");
        }
        percentiles = percentiles.clone();
        micros = micros.clone();
    }

    @Override
    public double[] percentiles() {
        return percentiles.clone();
    }

    @Override
    public long[] micros() {
        return micros.clone();
    }

    /** {@code 50:123,90:456,...}: one word, for the results file. */
    public String encode() {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < percentiles.length; i++) {
            parts.add(String.format(Locale.ROOT, "%s:%d", trim(percentiles[i]), micros[i]));
        }
        return String.join(",", parts);
    }

    /** Parses {@link #encode()}'s output. */
    public static LatencyDistribution decode(String encoded) {
        String[] parts = encoded.split(",");
        double[] p = new double[parts.length];
        long[] v = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String[] kv = parts[i].split(":");
            if (kv.length != 2) {
                throw new IllegalArgumentException("bad percentile entry '" + parts[i] + "' in '" + encoded + "'");
            }
            p[i] = Double.parseDouble(kv[0]);
            v[i] = Long.parseLong(kv[1]);
        }
        return new LatencyDistribution(p, v);
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
