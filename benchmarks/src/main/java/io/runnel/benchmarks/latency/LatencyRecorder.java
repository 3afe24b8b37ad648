package io.runnel.benchmarks.latency;

import org.HdrHistogram.Histogram;

/**
 * Records latencies in microseconds into an HdrHistogram (3 significant digits, up to one hour).
 *
 * <p>Coordinated omission is the caller's part: it records {@code receive time - intended send
 * time}, where the intended send time comes from a fixed schedule ({@link Pacer}), so a stall
 * delays the following sends and their latency counts the stall too. Not thread-safe: one
 * recording thread.
 */
public final class LatencyRecorder {

    private static final long HIGHEST_US = 3_600_000_000L;

    private final Histogram histogram = new Histogram(HIGHEST_US, 3);

    /** Records {@code nowNanos - intendedNanos}, clamped to [0, one hour]. */
    public void record(long intendedNanos, long nowNanos) {
        long us = (nowNanos - intendedNanos) / 1_000;
        histogram.recordValue(Math.max(0, Math.min(us, HIGHEST_US)));
    }

    /** Adds the latencies {@code other} recorded (when neither records meanwhile). */
    public void add(LatencyRecorder other) {
        histogram.add(other.histogram);
    }

    public long count() {
        return histogram.getTotalCount();
    }

    /** Latency at {@code percentile} (0-100) in microseconds. */
    public long percentileUs(double percentile) {
        return histogram.getValueAtPercentile(percentile);
    }

    public long maxUs() {
        return histogram.getMaxValue();
    }

    public LatencyDistribution distribution() {
        double[] points = LatencyDistribution.POINTS;
        long[] values = new long[points.length];
        for (int i = 0; i < points.length; i++) {
            values[i] = points[i] >= 100 ? histogram.getMaxValue() : histogram.getValueAtPercentile(points[i]);
        }
        return new LatencyDistribution(points, values);
    }

    public void reset() {
        histogram.reset();
    }
}
