package io.runnel.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import io.runnel.streams.WindowOracleTest.StateMode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The built-in statistics against brute force over random windows (tumbling and session), with the
 * window state on the heap and on disk behind a cache of 1 entry (their accumulators written to and
 * read from key-group files).
 */
class StatisticsTest {

    @TempDir
    Path dir;
    private StateMode mode = StateMode.HEAP;
    private int runs;

    /** Random cases per check: 40, a quarter of them on disk (a cache of 1 entry re-reads a large accumulator per event). */
    private int seeds() {
        return mode == StateMode.HEAP ? Seeds.count(40) : Math.max(1, Seeds.count(40) / 4);
    }

    private <R> Map<WindowOracle.Win, R> actual(List<Ev> evs, Windows w, Aggregator<? super Ev, ?, R> agg) {
        JobConfig config = mode == StateMode.HEAP ? JobConfig.defaults()
                : JobConfig.defaults().withStateDir(dir.resolve("state-" + runs++)).withStateMemoryLimit(1);
        return WindowOracle.finalView(WindowOracleTest.run(evs, 0, w, agg, config).results(), w.kind() == Windows.Kind.SESSION);
    }

    /** A double compared within a relative 1e-9. */
    record Approx(double v) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Approx a && Math.abs(a.v - v) <= 1e-9 * Math.max(1, Math.max(Math.abs(v), Math.abs(a.v)));
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }

    private <R> void check(String name, Aggregator<? super Ev, ?, R> agg, Function<List<Ev>, R> brute) {
        check(name, agg, brute, r -> r);
    }

    private <R, C> void check(String name, Aggregator<? super Ev, ?, R> agg, Function<List<Ev>, C> brute, Function<R, C> compareAs) {
        long seed = Seeds.base("statistics " + name);
        for (int i = 0; i < seeds(); i++) {
            Random rnd = new Random(seed + i);
            List<Ev> evs = Ev.random(rnd, 100 + rnd.nextInt(800), 1 + rnd.nextInt(6), 1 + rnd.nextInt(30), 0);
            WindowOracle oracle = new WindowOracle(evs, 0, 0);
            Windows tumbling = Windows.tumbling(Duration.ofMillis(100 + rnd.nextInt(1000)));
            assertThat(convert(actual(evs, tumbling, agg), compareAs)).as(name + " over " + tumbling + ", state on the " + mode)
                    .isEqualTo(WindowOracle.apply(oracle.timeWindows(tumbling.sizeMs(), tumbling.sizeMs()), brute));
            Windows session = Windows.session(Duration.ofMillis(10 + rnd.nextInt(100)));
            assertThat(convert(actual(evs, session, agg), compareAs)).as(name + " over " + session + ", state on the " + mode)
                    .isEqualTo(WindowOracle.apply(oracle.sessions(session.gapMs()), brute));
        }
    }

    @ParameterizedTest(name = "state on the {0}")
    @EnumSource(StateMode.class)
    void shouldComputeSumMinMaxAverageDistinct(StateMode mode) {
        this.mode = mode;
        check("sumLong", Statistics.sumLong(Ev::seq), l -> l.stream().mapToLong(Ev::seq).sum());
        check("min", Statistics.min(Ev::value), l -> l.stream().mapToDouble(Ev::value).min().orElseThrow());
        check("max", Statistics.max(Ev::value), l -> l.stream().mapToDouble(Ev::value).max().orElseThrow());
        check("distinctCount", Statistics.distinctCount(e -> e.seq() % 13), l -> (long) new HashSet<>(l.stream().map(e -> e.seq() % 13).toList()).size());
        // sums of doubles depend on the order of addition: compare within 1e-9, relative
        check("sum", Statistics.sum(Ev::value), l -> new Approx(l.stream().mapToDouble(Ev::value).sum()), Approx::new);
        check("average", Statistics.average(Ev::value), l -> new Approx(l.stream().mapToDouble(Ev::value).average().orElseThrow()),
                Approx::new);
    }

    @ParameterizedTest(name = "state on the {0}")
    @EnumSource(StateMode.class)
    void shouldComputeExactNearestRankPercentiles(StateMode mode) {
        this.mode = mode;
        double[] qs = {0, 0.07, 0.1, 0.5, 0.9, 0.99, 1};
        int[] perMille = {0, 70, 100, 500, 900, 990, 1000};
        check("percentiles", Statistics.percentiles(Ev::value, qs), l -> {
            double[] sorted = l.stream().mapToDouble(Ev::value).sorted().toArray();
            double[] out = new double[qs.length];
            for (int i = 0; i < qs.length; i++) {
                // rank max(1, ceil(q*n)) in integers: no rounding
                int rank = Math.max(1, (perMille[i] * sorted.length + 999) / 1000);
                out[i] = sorted[rank - 1];
            }
            return new Percentiles(qs, out, sorted.length, 0);
        });
    }

    @ParameterizedTest(name = "state on the {0}")
    @EnumSource(StateMode.class)
    void shouldKeepApproximatePercentilesWithinTheirErrorBound(StateMode mode) {
        this.mode = mode;
        double[] qs = {0.01, 0.5, 0.9, 0.999};
        double err = 0.01;
        long seed = Seeds.base("approximate percentiles");
        for (int i = 0; i < seeds(); i++) {
            Random rnd = new Random(seed + i);
            List<Ev> evs = Ev.random(rnd, 200 + rnd.nextInt(2000), 3, 5, 0);
            Windows w = Windows.tumbling(Duration.ofMillis(1000));
            Map<WindowOracle.Win, Percentiles> approx = actual(evs, w, Statistics.approximatePercentiles(Ev::value, err, qs));
            Map<WindowOracle.Win, Percentiles> exact = actual(evs, w, Statistics.percentiles(Ev::value, qs));
            assertThat(approx.keySet()).isEqualTo(exact.keySet());
            for (WindowOracle.Win win : exact.keySet()) {
                for (double q : qs) {
                    double e = exact.get(win).valueAt(q);
                    double a = approx.get(win).valueAt(q);
                    assertThat(Math.abs(a - e)).as("q=%s exact=%s approx=%s", q, e, a).isLessThanOrEqualTo(err * Math.abs(e) * (1 + 1e-9));
                }
            }
        }
    }

    @ParameterizedTest(name = "state on the {0}")
    @EnumSource(StateMode.class)
    void shouldRankTopNByCountThenItem(StateMode mode) {
        this.mode = mode;
        check("topN", Statistics.topN(3, (Ev e) -> "i" + e.seq() % 5), l -> {
            Map<String, Long> counts = new HashMap<>();
            l.forEach(e -> counts.merge("i" + e.seq() % 5, 1L, Long::sum));
            List<TopN.Entry<String>> all = new ArrayList<>();
            counts.forEach((k, v) -> all.add(new TopN.Entry<>(k, v)));
            all.sort(Comparator.<TopN.Entry<String>>comparingLong(TopN.Entry::count).reversed().thenComparing(TopN.Entry::item));
            return new TopN<>(all.subList(0, Math.min(3, all.size())));
        });
    }

    @Test
    void percentileOracleShouldCatchAnOffByOneRank() {
        double[] qs = {0.5};
        assertThatThrownBy(() -> check("percentiles (oracle using rank ceil(q*n)+1)", Statistics.percentiles(Ev::value, qs), l -> {
            double[] sorted = l.stream().mapToDouble(Ev::value).sorted().toArray();
            int rank = Math.min(sorted.length, (int) Math.ceil(0.5 * sorted.length) + 1);
            return new Percentiles(qs, new double[] {sorted[rank - 1]}, sorted.length, 0);
        })).isInstanceOf(AssertionError.class);
    }

    private static <R, C> Map<WindowOracle.Win, C> convert(Map<WindowOracle.Win, R> m, Function<R, C> f) {
        Map<WindowOracle.Win, C> out = new java.util.TreeMap<>(WindowOracle::compare);
        m.forEach((k, v) -> out.put(k, f.apply(v)));
        return out;
    }
}
