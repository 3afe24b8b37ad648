package io.runnel.examples.appstats;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.examples.common.DeadLetterEntry;
import io.runnel.streams.BadDataPolicy;
import io.runnel.streams.CollectingSink;
import io.runnel.streams.CollectionSource;
import io.runnel.streams.JobConfig;
import io.runnel.streams.JobTestDriver;
import io.runnel.streams.StreamJob;
import io.runnel.streams.TestInput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The app-stats plan under the job test driver, against results computed by hand. */
class AppStatsJobTest {

    private static final long MIN = 60_000;

    private final CollectionSource<Request> source = CollectionSource.of("requests", List.of());
    private final CollectingSink<EndpointStats> stats = CollectingSink.named("endpoint_stats");
    private final CollectingSink<Alert> alerts = CollectingSink.named("alerts");
    private final CollectingSink<Alert> console = CollectingSink.named("alerts-console");
    private final CollectingSink<DeadLetterEntry> deadLetters = CollectingSink.named("dead-letters");
    private final CollectingSink<DeadLetterEntry> lateEvents = CollectingSink.named("late-endpoint-stats");
    private JobTestDriver driver;
    private TestInput<Request> input;

    @BeforeEach
    void plan() {
        StreamJob job = StreamJob.named("app-stats", JobConfig.defaults().withBadDataPolicy(BadDataPolicy.DEAD_LETTER));
        AppStatsJob.plan(job, source, Duration.ofSeconds(5), 0.05, new AppStatsJob.Tables(stats, alerts, console),
                name -> name.equals("dead-letters") ? deadLetters : lateEvents);
        driver = JobTestDriver.of(job);
        input = driver.input(source);
    }

    private void request(long ts, String service, String endpoint, double latencyMs, int status) {
        input.send(new Request(ts, service, endpoint, latencyMs, status), ts);
    }

    @Test
    void shouldComputeNearestRankPercentilesAndTheMaximum() {
        // window 0, "a /x": latencies 1..20 in shuffled order: p50 = rank ceil(10) = 10, p95 = rank 19, p99 = rank ceil(19.8) = 20
        List<Integer> twenty = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            twenty.add(i);
        }
        Collections.shuffle(twenty, new Random(3));
        for (int i = 0; i < twenty.size(); i++) {
            request(i * 1_000, "a", "/x", twenty.get(i), 200);
        }
        // window 0, "a /y": 7 latencies: p50 = rank ceil(3.5) = 4, p95 = rank ceil(6.65) = 7, p99 = rank 7
        double[] seven = {5.5, 1.25, 4.5, 2.0, 7.75, 3.0, 6.0};
        for (int i = 0; i < seven.length; i++) {
            request(30_000 + i, "a", "/y", seven[i], 200);
        }
        // window 1, "a /x": one request: every percentile is it
        request(MIN + 1, "a", "/x", 42.5, 200);
        driver.endAllInputs();
        assertThat(driver.output(stats)).containsExactlyInAnyOrder(
                new EndpointStats(0, MIN, "a", "/x", 20, 0, 10, 19, 20, 20),
                new EndpointStats(0, MIN, "a", "/y", 7, 0, 4.5, 7.75, 7.75, 7.75),
                new EndpointStats(MIN, 2 * MIN, "a", "/x", 1, 0, 42.5, 42.5, 42.5, 42.5));
    }

    @Test
    void shouldRankPercentilesExactlyForEveryWindowSize() {
        // ceil(q * n) in integers: (pct * n + 99) / 100, against the statistics for n = 1..400
        RequestStatistics<?> statistics = RequestStatistics.create();
        for (int n = 1; n <= 400; n++) {
            RequestStatistics.Result r = result(statistics, n);
            assertThat(new double[] {r.p50(), r.p95(), r.p99(), r.maxLatency()}).as("n=" + n)
                    .containsExactly((50L * n + 99) / 100, (95L * n + 99) / 100, (99L * n + 99) / 100, n);
        }
    }

    /** Latencies 1..n (as ms), added in reverse. */
    private static <A> RequestStatistics.Result result(RequestStatistics<A> statistics, int n) {
        RequestStatistics.Accumulator<A> acc = statistics.init();
        for (int i = n; i >= 1; i--) {
            acc = statistics.add(acc, new Request(0, "s", "/e", i, 200));
        }
        return statistics.result(acc);
    }

    @Test
    void shouldCountStatusFiveHundredAndAboveAsErrors() {
        int[] statuses = {200, 201, 404, 499, 500, 503, 599};
        for (int i = 0; i < statuses.length; i++) {
            request(i, "s", "/e", 1, statuses[i]);
        }
        driver.endAllInputs();
        assertThat(driver.output(stats)).extracting(EndpointStats::requests, EndpointStats::errors)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(7L, 3L));
    }

    @Test
    void shouldAlertOnlyWhenTheErrorRateExceedsTheThreshold() {
        sendWindow(0, "/exactly-5-percent", 20, 1);   // 1/20 = 5%: not above the 5% threshold
        sendWindow(0, "/ten-percent", 20, 2);         // 10%: alert
        sendWindow(0, "/just-above", 19, 1);          // 5.26%: alert
        sendWindow(MIN, "/ten-percent", 40, 0);       // next minute: fine again
        driver.endAllInputs();
        Alert tenPercent = new Alert(0, MIN, "s", "/ten-percent", 20, 2, 0.1, 0.05);
        Alert justAbove = new Alert(0, MIN, "s", "/just-above", 19, 1, 1.0 / 19, 0.05);
        assertThat(driver.output(alerts)).containsExactlyInAnyOrder(tenPercent, justAbove);
        assertThat(driver.output(console)).containsExactlyInAnyOrder(tenPercent, justAbove);
        assertThat(tenPercent.consoleLine()).isEqualTo("ALERT 1970-01-01 00:00 UTC s /ten-percent: error rate 10.0% (2 of 20 requests) > 5.0%");
    }

    private void sendWindow(long windowStart, String endpoint, int requests, int errors) {
        for (int i = 0; i < requests; i++) {
            request(windowStart + i * 100, "s", endpoint, 10, i < errors ? 503 : 200);
        }
    }

    @Test
    void shouldKeepServicesAndMinutesApartAndSendLateRequestsToTheLateEvents() {
        request(59_999, "a", "/e", 1, 200);
        request(60_000, "a", "/e", 2, 200);
        request(60_001, "b", "/e", 3, 500);
        request(120_000, "a", "/e", 4, 200);
        request(110_000, "a", "/e", 5, 200);     // 10 s behind: late
        driver.endAllInputs();
        assertThat(driver.output(stats)).containsExactlyInAnyOrder(
                new EndpointStats(0, MIN, "a", "/e", 1, 0, 1, 1, 1, 1),
                new EndpointStats(MIN, 2 * MIN, "a", "/e", 1, 0, 2, 2, 2, 2),
                new EndpointStats(MIN, 2 * MIN, "b", "/e", 1, 1, 3, 3, 3, 3),
                new EndpointStats(2 * MIN, 3 * MIN, "a", "/e", 1, 0, 4, 4, 4, 4));
        assertThat(driver.output(lateEvents)).singleElement()
                .satisfies(e -> assertThat(e.reason()).startsWith("late for endpoint_stats: event time 110000"));
    }
}
