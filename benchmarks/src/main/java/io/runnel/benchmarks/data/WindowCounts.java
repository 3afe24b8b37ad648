package io.runnel.benchmarks.data;

import io.runnel.benchmarks.CheckFailedException;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A summary of the results of a windowed count by url: how many (window, url) rows, the events they
 * count in total and per window, and an order-independent fingerprint of every
 * (window start, url, count) row. Two summaries are equal exactly when the rows agree (up to a
 * 2^-64 fingerprint collision). Thread-safe.
 */
public final class WindowCounts {

    private final TreeMap<Long, Long> totalsByWindow = new TreeMap<>();
    private long rows;
    private long total;
    private long fingerprint;

    /** Adds one result row. */
    public synchronized void add(long windowStartMs, String url, long count) {
        rows++;
        total += count;
        fingerprint += row(windowStartMs, url.hashCode(), count);
        totalsByWindow.merge(windowStartMs, count, Long::sum);
    }

    public synchronized long rows() {
        return rows;
    }

    /** Events counted over all rows. */
    public synchronized long total() {
        return total;
    }

    /**
     * The independent computation: counts per tumbling window and url over events
     * {@code 0 .. count-1} of {@code generator}, bots left out when {@code dropBots}.
     */
    public static WindowCounts expected(PageViewGenerator generator, long count, long windowMs, boolean dropBots) {
        PageViewSpec spec = generator.spec();
        long firstWindow = Math.floorDiv(spec.startMs() - spec.maxOutOfOrdernessMs(), windowMs);
        long lastWindow = Math.floorDiv(generator.baseTimeMs(Math.max(0, count - 1)), windowMs);
        int[][] counts = new int[(int) (lastWindow - firstWindow + 1)][];
        for (long i = 0; i < count; i++) {
            if (dropBots && generator.bot(i)) {
                continue;
            }
            int w = (int) (Math.floorDiv(generator.timestampMs(i), windowMs) - firstWindow);
            if (counts[w] == null) {
                counts[w] = new int[spec.urls()];
            }
            counts[w][generator.urlId(i)]++;
        }
        WindowCounts expected = new WindowCounts();
        for (int w = 0; w < counts.length; w++) {
            if (counts[w] == null) {
                continue;
            }
            long start = (firstWindow + w) * windowMs;
            for (int url = 0; url < counts[w].length; url++) {
                if (counts[w][url] > 0) {
                    expected.add(start, generator.urlPath(url), counts[w][url]);
                }
            }
        }
        return expected;
    }

    /**
     * Compares with the expected summary.
     *
     * @throws CheckFailedException naming the first difference
     */
    public synchronized void verify(WindowCounts expected) {
        Objects.requireNonNull(expected, "expected");
        synchronized (expected) {
            if (total != expected.total) {
                throw new CheckFailedException("counted " + total + " events, expected " + expected.total + " ("
                        + firstDifferentWindow(expected) + ")");
            }
            if (rows != expected.rows) {
                throw new CheckFailedException("got " + rows + " (window, url) rows, expected " + expected.rows);
            }
            if (!totalsByWindow.equals(expected.totalsByWindow)) {
                throw new CheckFailedException("per-window totals differ: " + firstDifferentWindow(expected));
            }
            if (fingerprint != expected.fingerprint) {
                throw new CheckFailedException("per-url counts differ (totals per window agree, fingerprints do not)");
            }
        }
    }

    private String firstDifferentWindow(WindowCounts expected) {
        TreeMap<Long, Long> all = new TreeMap<>(expected.totalsByWindow);
        totalsByWindow.forEach(all::putIfAbsent);
        for (Map.Entry<Long, Long> e : all.entrySet()) {
            long got = totalsByWindow.getOrDefault(e.getKey(), 0L);
            long want = expected.totalsByWindow.getOrDefault(e.getKey(), 0L);
            if (got != want) {
                return "first different window starts at " + e.getKey() + ": counted " + got + ", expected " + want;
            }
        }
        return "every window's total agrees";
    }

    static long row(long windowStartMs, int urlHash, long count) {
        return SplitMix.combine(SplitMix.combine(windowStartMs, urlHash), count);
    }

    @Override
    public synchronized String toString() {
        return "WindowCounts[rows=" + rows + ", total=" + total + ", windows=" + totalsByWindow.size() + "]";
    }
}
