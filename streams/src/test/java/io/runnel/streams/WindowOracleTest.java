package io.runnel.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Tumbling, hopping and session windows against {@link WindowOracle} over random input, in order,
 * out of order within the bound and beyond it, with and without allowed lateness.
 */
class WindowOracleTest {

    private static final long BOUND = 200;

    record Outcome<R>(List<WindowResult<String, R>> results, List<Ev> late) {
    }

    static <R> Outcome<R> run(List<Ev> arrival, long bound, Windows windows, Aggregator<? super Ev, ?, R> agg) {
        CollectionSource<Ev> src = CollectionSource.of("events", List.of());
        CollectingSink<WindowResult<String, R>> sink = CollectingSink.named("results");
        StreamJob job = StreamJob.named("oracle");
        AggregatedStream<String, Ev, R> results = job.source(src).withEventTime(Ev::ts, Duration.ofMillis(bound))
                .keyBy(Ev::key).window(windows).aggregate(agg);
        results.to(sink);
        try (JobTestDriver driver = JobTestDriver.of(job)) {
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
        Windows w = size == advance ? Windows.tumbling(Duration.ofMillis(size))
                : Windows.hopping(Duration.ofMillis(size), Duration.ofMillis(advance));
        Outcome<Long> out = run(evs, bound, w.withAllowedLateness(Duration.ofMillis(lateness)), agg);
        WindowOracle oracle = new WindowOracle(evs, BOUND, lateness);
        assertThat(out.late()).as("late events").isEqualTo(oracle.late);
        Map<WindowOracle.Win, Long> expected = WindowOracle.apply(oracle.timeWindows(size, advance), l -> (long) l.size());
        assertThat(WindowOracle.finalView(out.results(), false)).as("window counts").isEqualTo(expected);
    }

    static void checkSessions(List<Ev> evs, long bound, long gap, long lateness, Aggregator<? super Ev, ?, Long> agg) {
        Outcome<Long> out = run(evs, bound, Windows.session(Duration.ofMillis(gap)).withAllowedLateness(Duration.ofMillis(lateness)), agg);
        WindowOracle oracle = new WindowOracle(evs, BOUND, lateness);
        assertThat(out.late()).as("late events").isEqualTo(oracle.late);
        Map<WindowOracle.Win, Long> expected = WindowOracle.apply(oracle.sessions(gap), l -> (long) l.size());
        assertThat(WindowOracle.finalView(out.results(), true)).as("session counts").isEqualTo(expected);
    }

    @Test
    void shouldMatchOracleForTumblingWindows() {
        long seed = Seeds.base("tumbling");
        for (int i = 0; i < Seeds.count(200); i++) {
            Random rnd = new Random(seed + i);
            List<Ev> evs = Ev.random(rnd, 200 + rnd.nextInt(1500), 1 + rnd.nextInt(15), 1 + rnd.nextInt(40), jitter(rnd));
            long size = 50 + rnd.nextInt(2000);
            checkTimeWindows(evs, BOUND, size, size, rnd.nextBoolean() ? 0 : rnd.nextInt(600), Aggregators.count());
        }
    }

    @Test
    void shouldMatchOracleForHoppingWindows() {
        long seed = Seeds.base("hopping");
        for (int i = 0; i < Seeds.count(200); i++) {
            Random rnd = new Random(seed + i);
            List<Ev> evs = Ev.random(rnd, 200 + rnd.nextInt(1500), 1 + rnd.nextInt(15), 1 + rnd.nextInt(40), jitter(rnd));
            long advance = 20 + rnd.nextInt(300);
            long size = advance * (1 + rnd.nextInt(5));
            checkTimeWindows(evs, BOUND, size, advance, rnd.nextBoolean() ? 0 : rnd.nextInt(600), Aggregators.count());
        }
    }

    @Test
    void shouldMatchOracleForSessionWindows() {
        long seed = Seeds.base("sessions");
        for (int i = 0; i < Seeds.count(200); i++) {
            Random rnd = new Random(seed + i);
            List<Ev> evs = Ev.random(rnd, 200 + rnd.nextInt(1500), 1 + rnd.nextInt(15), 1 + rnd.nextInt(80), jitter(rnd));
            long gap = 10 + rnd.nextInt(400);
            checkSessions(evs, BOUND, gap, rnd.nextBoolean() ? 0 : rnd.nextInt(600), Aggregators.count());
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
