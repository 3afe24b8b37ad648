package io.runnel.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Tumbling, hopping and session windows against {@link WindowOracle} over random input, in order,
 * out of order within the bound and beyond it, with and without allowed lateness; each with window
 * state on the heap and on disk behind a cache of {@value #DISK_CACHE_ENTRIES} entries
 * ({@link JobConfig#withStateMemoryLimit}), so nearly all of it is in key-group files.
 */
class WindowOracleTest {

    private static final long BOUND = 200;
    static final long DISK_CACHE_ENTRIES = 8;

    @TempDir
    Path dir;

    /** Where window state lives in a parametrized test. */
    enum StateMode { HEAP, DISK }

    /** The config of run {@code i} of a test: on disk, a fresh state directory per run. */
    private JobConfig config(StateMode mode, int i) {
        return mode == StateMode.HEAP ? JobConfig.defaults()
                : JobConfig.defaults().withStateDir(dir.resolve("state-" + i)).withStateMemoryLimit(DISK_CACHE_ENTRIES);
    }

    record Outcome<R>(List<WindowResult<String, R>> results, List<Ev> late) {
    }

    static <R> Outcome<R> run(List<Ev> arrival, long bound, Windows windows, Aggregator<? super Ev, ?, R> agg) {
        return run(arrival, bound, windows, agg, JobConfig.defaults());
    }

    static <R> Outcome<R> run(List<Ev> arrival, long bound, Windows windows, Aggregator<? super Ev, ?, R> agg, JobConfig config) {
        CollectionSource<Ev> src = CollectionSource.of("events", List.of());
        CollectingSink<WindowResult<String, R>> sink = CollectingSink.named("results");
        StreamJob job = StreamJob.named("oracle");
        AggregatedStream<String, Ev, R> results = job.source(src).withEventTime(Ev::ts, Duration.ofMillis(bound))
                .keyBy(Ev::key).window(windows).aggregate(agg);
        results.to(sink);
        try (JobTestDriver driver = JobTestDriver.of(job, config)) {
            TestInput<Ev> in = driver.input(src);
            for (Ev e : arrival) {
                in.send(e, 0);
            }
            driver.endAllInputs();
            return new Outcome<>(driver.output(sink), driver.lateEvents(results));
        }
    }

    private static long jitter(Random rnd) {
        return switch (rnd.nextInt(3)) {
            case 0 -> 0;                // in order
            case 1 -> BOUND;            // out of order within the bound
            default -> BOUND * 4;       // beyond it: some events are late
        };
    }

    static void checkTimeWindows(List<Ev> evs, long bound, long size, long advance, long lateness,
                                 Aggregator<? super Ev, ?, Long> agg) {
        checkTimeWindows(evs, bound, size, advance, lateness, agg, JobConfig.defaults());
    }

    static void checkTimeWindows(List<Ev> evs, long bound, long size, long advance, long lateness,
                                 Aggregator<? super Ev, ?, Long> agg, JobConfig config) {
        Windows w = size == advance ? Windows.tumbling(Duration.ofMillis(size))
                : Windows.hopping(Duration.ofMillis(size), Duration.ofMillis(advance));
        Outcome<Long> out = run(evs, bound, w.withAllowedLateness(Duration.ofMillis(lateness)), agg, config);
        WindowOracle oracle = new WindowOracle(evs, BOUND, lateness);
        assertThat(out.late()).as("late events").isEqualTo(oracle.late);
        Map<WindowOracle.Win, Long> expected = WindowOracle.apply(oracle.timeWindows(size, advance), l -> (long) l.size());
        assertThat(WindowOracle.finalView(out.results(), false)).as("window counts").isEqualTo(expected);
    }

    static void checkSessions(List<Ev> evs, long bound, long gap, long lateness, Aggregator<? super Ev, ?, Long> agg, JobConfig config) {
        Outcome<Long> out = run(evs, bound, Windows.session(Duration.ofMillis(gap)).withAllowedLateness(Duration.ofMillis(lateness)), agg,
                config);
        WindowOracle oracle = new WindowOracle(evs, BOUND, lateness);
        assertThat(out.late()).as("late events").isEqualTo(oracle.late);
        Map<WindowOracle.Win, Long> expected = WindowOracle.apply(oracle.sessions(gap), l -> (long) l.size());
        assertThat(WindowOracle.finalView(out.results(), true)).as("session counts").isEqualTo(expected);
    }

    @ParameterizedTest(name = "state on the {0}")
    @EnumSource(StateMode.class)
    void shouldMatchOracleForTumblingWindows(StateMode mode) {
        long seed = Seeds.base("tumbling");
        for (int i = 0; i < Seeds.count(200); i++) {
            Random rnd = new Random(seed + i);
            List<Ev> evs = Ev.random(rnd, 200 + rnd.nextInt(1500), 1 + rnd.nextInt(15), 1 + rnd.nextInt(40), jitter(rnd));
            long size = 50 + rnd.nextInt(2000);
            checkTimeWindows(evs, BOUND, size, size, rnd.nextBoolean() ? 0 : rnd.nextInt(600), Aggregators.count(), config(mode, i));
        }
    }

    @ParameterizedTest(name = "state on the {0}")
    @EnumSource(StateMode.class)
    void shouldMatchOracleForHoppingWindows(StateMode mode) {
        long seed = Seeds.base("hopping");
        for (int i = 0; i < Seeds.count(200); i++) {
            Random rnd = new Random(seed + i);
            List<Ev> evs = Ev.random(rnd, 200 + rnd.nextInt(1500), 1 + rnd.nextInt(15), 1 + rnd.nextInt(40), jitter(rnd));
            long advance = 20 + rnd.nextInt(300);
            long size = advance * (1 + rnd.nextInt(5));
            checkTimeWindows(evs, BOUND, size, advance, rnd.nextBoolean() ? 0 : rnd.nextInt(600), Aggregators.count(), config(mode, i));
        }
    }

    @ParameterizedTest(name = "state on the {0}")
    @EnumSource(StateMode.class)
    void shouldMatchOracleForSessionWindows(StateMode mode) {
        long seed = Seeds.base("sessions");
        for (int i = 0; i < Seeds.count(200); i++) {
            Random rnd = new Random(seed + i);
            List<Ev> evs = Ev.random(rnd, 200 + rnd.nextInt(1500), 1 + rnd.nextInt(15), 1 + rnd.nextInt(80), jitter(rnd));
            long gap = 10 + rnd.nextInt(400);
            checkSessions(evs, BOUND, gap, rnd.nextBoolean() ? 0 : rnd.nextInt(600), Aggregators.count(), config(mode, i));
        }
    }

    /** The time-window oracle catches a count that loses an event now and then. */
    @Test
    void oracleShouldCatchBrokenAggregation() {
        Random rnd = new Random(7);
        List<Ev> evs = Ev.random(rnd, 1000, 5, 20, BOUND);
        assertThatThrownBy(() -> checkTimeWindows(evs, BOUND, 500, 500, 0, Aggregators.brokenCount()))
                .isInstanceOf(AssertionError.class).hasMessageContaining("window counts");
    }

    /** The oracle catches a job whose lateness rule differs (a wrong out-of-orderness bound). */
    @Test
    void oracleShouldCatchWrongLateness() {
        Random rnd = new Random(8);
        List<Ev> evs = Ev.random(rnd, 1000, 5, 20, BOUND * 4);
        assertThatThrownBy(() -> checkTimeWindows(evs, BOUND + 100, 500, 500, 0, Aggregators.count()))
                .isInstanceOf(AssertionError.class).hasMessageContaining("late events");
    }

    /** The session oracle catches sessions cut with the wrong gap. */
    @Test
    void oracleShouldCatchWrongSessionBoundaries() {
        Random rnd = new Random(9);
        List<Ev> evs = Ev.random(rnd, 1000, 5, 60, 0);
        assertThatThrownBy(() -> {
            Outcome<Long> out = run(evs, BOUND, Windows.session(Duration.ofMillis(101)), Aggregators.count());
            WindowOracle oracle = new WindowOracle(evs, BOUND, 0);
            assertThat(WindowOracle.finalView(out.results(), true)).as("session counts")
                    .isEqualTo(WindowOracle.apply(oracle.sessions(100), l -> (long) l.size()));
        }).isInstanceOf(AssertionError.class).hasMessageContaining("session counts");
    }

    /**
     * Early updates, late updates and final results with the clock moving between records (a quarter
     * of the runs in processing time): with state on disk each key gets the same results, of every
     * kind and in the same order, as on the heap.
     */
    @Test
    void shouldGiveEachKeyTheSameResultsOnDiskAsOnTheHeap() {
        long seed = Seeds.base("heap vs disk");
        for (int i = 0; i < Seeds.count(60); i++) {
            Random rnd = new Random(seed + i);
            List<Ev> evs = Ev.random(rnd, 200 + rnd.nextInt(1000), 10 + rnd.nextInt(30), 1 + rnd.nextInt(40), jitter(rnd));
            Windows w = randomWindows(rnd, i);
            assertThat(perKey(runTimed(evs, w, Aggregators.count(), config(StateMode.DISK, i))))
                    .as("results per key, state on disk, %s", w).isEqualTo(perKey(runTimed(evs, w, Aggregators.count(), JobConfig.defaults())));
            try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(dir.resolve("state-" + i))) {
                assertThat(files.filter(f -> f.toString().endsWith(".data")).count()).as("key-group files").isPositive();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /**
     * Keys with equal hash codes ("Aa", "BB", "C#") on disk, where session timers find their keys by
     * hash: each key's sessions are its own, as on the heap and as the oracle says.
     */
    @Test
    void shouldKeepSessionsOfKeysWithEqualHashCodesApartOnDisk() {
        long seed = Seeds.base("equal hash codes");
        for (int i = 0; i < Seeds.count(20); i++) {
            Random rnd = new Random(seed + i);
            String[] keys = {"Aa", "BB", "C#", "k" + rnd.nextInt(100)};
            List<Ev> evs = Ev.random(rnd, 300 + rnd.nextInt(300), keys.length, 1 + rnd.nextInt(30), jitter(rnd)).stream()
                    .map(e -> new Ev(keys[Integer.parseInt(e.key().substring(1))], e.ts(), e.seq(), e.value())).toList();
            long gap = 10 + rnd.nextInt(100);
            long lateness = rnd.nextBoolean() ? 0 : rnd.nextInt(300);
            JobConfig disk = JobConfig.defaults().withStateDir(dir.resolve("collisions-" + i)).withStateMemoryLimit(1);
            checkSessions(evs, BOUND, gap, lateness, Aggregators.count(), disk);
            Windows w = Windows.session(Duration.ofMillis(gap)).withAllowedLateness(Duration.ofMillis(lateness))
                    .withEarlyUpdates(Duration.ofMillis(20 + rnd.nextInt(50)));
            assertThat(perKey(runTimed(evs, w, Aggregators.count(), disk))).as("results per key, state on disk")
                    .isEqualTo(perKey(runTimed(evs, w, Aggregators.count(), JobConfig.defaults())));
        }
    }

    /** The heap-versus-disk comparison catches a difference (here: a count that loses an event now and then, on disk). */
    @Test
    void heapVersusDiskCheckShouldCatchADifference() {
        Random rnd = new Random(10);
        List<Ev> evs = Ev.random(rnd, 1000, 5, 20, BOUND);
        Windows w = Windows.session(Duration.ofMillis(50)).withEarlyUpdates(Duration.ofMillis(30));
        assertThatThrownBy(() -> assertThat(perKey(runTimed(evs, w, Aggregators.brokenCount(), config(StateMode.DISK, 0))))
                .as("results per key").isEqualTo(perKey(runTimed(evs, w, Aggregators.count(), JobConfig.defaults()))))
                .isInstanceOf(AssertionError.class).hasMessageContaining("results per key");
    }

    private static Windows randomWindows(Random rnd, int i) {
        long size = 50 + rnd.nextInt(500);
        Windows w = switch (i % 3) {
            case 0 -> Windows.tumbling(Duration.ofMillis(size));
            case 1 -> Windows.hopping(Duration.ofMillis(size * 2), Duration.ofMillis(size));
            default -> Windows.session(Duration.ofMillis(10 + rnd.nextInt(200)));
        };
        w = w.withAllowedLateness(Duration.ofMillis(rnd.nextInt(600))).withEarlyUpdates(Duration.ofMillis(20 + rnd.nextInt(100)));
        return rnd.nextInt(4) == 0 ? w.inProcessingTime() : w;
    }

    /** Runs like {@link #run}, the job clock moving 0 to 4 ms after each record. */
    private static List<WindowResult<String, Long>> runTimed(List<Ev> arrival, Windows windows, Aggregator<? super Ev, ?, Long> agg,
                                                            JobConfig config) {
        CollectionSource<Ev> src = CollectionSource.of("events", List.of());
        CollectingSink<WindowResult<String, Long>> sink = CollectingSink.named("results");
        StreamJob job = StreamJob.named("heap-vs-disk");
        job.source(src).withEventTime(Ev::ts, Duration.ofMillis(BOUND)).keyBy(Ev::key).window(windows).aggregate(agg).to(sink);
        try (JobTestDriver driver = JobTestDriver.of(job, config)) {
            TestInput<Ev> in = driver.input(src);
            for (Ev e : arrival) {
                in.send(e, 0);
                driver.advanceProcessingTime(Duration.ofMillis(e.seq() % 5));
            }
            driver.endAllInputs();
            return driver.output(sink);
        }
    }

    private static Map<String, List<WindowResult<String, Long>>> perKey(List<WindowResult<String, Long>> results) {
        Map<String, List<WindowResult<String, Long>>> m = new java.util.TreeMap<>();
        for (WindowResult<String, Long> r : results) {
            m.computeIfAbsent(r.key(), k -> new java.util.ArrayList<>()).add(r);
        }
        return m;
    }

    /** Test aggregators, including a deliberately broken one. */
    static final class Aggregators {
        static Aggregator<Ev, long[], Long> count() {
            return Aggregator.of(() -> new long[1], (a, e) -> { a[0]++; return a; }, (a, b) -> { a[0] += b[0]; return a; }, a -> a[0]);
        }

        static Aggregator<Ev, long[], Long> brokenCount() {
            return Aggregator.of(() -> new long[1], (a, e) -> { a[0] += e.seq() % 97 == 0 ? 0 : 1; return a; },
                    (a, b) -> { a[0] += b[0]; return a; }, a -> a[0]);
        }
    }
}
