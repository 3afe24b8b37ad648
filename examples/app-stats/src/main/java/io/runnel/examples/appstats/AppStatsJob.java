package io.runnel.examples.appstats;

import io.runnel.connectors.jdbc.JdbcSink;
import io.runnel.examples.common.DeadLetterEntry;
import io.runnel.streams.AggregatedStream;
import io.runnel.streams.EventStream;
import io.runnel.streams.StateOptions;
import io.runnel.streams.StreamJob;
import io.runnel.streams.Windows;
import io.runnel.streams.connect.Sink;
import io.runnel.streams.connect.Source;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * The app-stats job's plan: request logs in event time into per-endpoint statistics and alerts.
 *
 * <ul>
 *   <li>{@code endpoint_stats}: per service and endpoint and 1-minute tumbling window: requests,
 *       errors (status >= 500), exact nearest-rank p50/p95/p99 and the maximum latency;</li>
 *   <li>{@code alerts}: the windows in which an endpoint's error rate (errors / requests) exceeded the
 *       threshold; each is also printed as a line to the console sink.</li>
 * </ul>
 * Windows are aligned to the epoch and half-open; each result is emitted once, when its window
 * closes. Events more out of order than the bound are late and go to the dead letters.
 */
public final class AppStatsJob {

    /** Statistics are per minute. */
    public static final Duration MINUTE = Duration.ofMinutes(1);

    /**
     * Where the results go.
     *
     * @param endpointStats {@code endpoint_stats}
     * @param alerts        {@code alerts}
     * @param alertConsole  where alert lines are printed as they happen
     */
    public record Tables(Sink<EndpointStats> endpointStats, Sink<Alert> alerts, Sink<Alert> alertConsole) {

        /** The tables at {@code jdbcUrl}, created if absent, rows upserted on their keys; alerts printed to {@code console}. */
        public static Tables jdbc(String jdbcUrl, Sink<Alert> console) {
            return new Tables(
                    JdbcSink.upsert(jdbcUrl, "endpoint_stats", EndpointStats.class).keys("window_start", "service", "endpoint")
                            .createTable().build(),
                    JdbcSink.upsert(jdbcUrl, "alerts", Alert.class).keys("window_start", "service", "endpoint").createTable().build(),
                    console);
        }
    }

    private AppStatsJob() {
    }

    /**
     * Adds the plan to {@code job}: {@code requests} with event time and {@code outOfOrderness}, the
     * statistics, alerts above {@code alertErrorRate} (a fraction: 0.05 is 5%), and what the tables
     * cannot take into sinks made by {@code deadLetterSinks} from a name: the job's dead letters
     * (malformed lines) into {@code "dead-letters"}, late events into {@code "late-endpoint-stats"}.
     */
    public static void plan(StreamJob job, Source<Request> requests, Duration outOfOrderness, double alertErrorRate, Tables tables,
                            Function<String, Sink<DeadLetterEntry>> deadLetterSinks) {
        Objects.requireNonNull(tables, "tables");
        if (!(alertErrorRate >= 0 && alertErrorRate <= 1)) {
            throw new IllegalArgumentException("alertErrorRate must be a fraction in [0, 1] (0.05 for 5%), was " + alertErrorRate);
        }
        AggregatedStream<Endpoint, Request, RequestStatistics.Result> windows = job.source(requests)
                .withEventTime(Request::ts, outOfOrderness)
                .keyBy(r -> new Endpoint(r.service(), r.endpoint()))
                .window(Windows.tumbling(MINUTE))
                .aggregate(RequestStatistics.create(), StateOptions.named("endpoint-stats"));
        EventStream<EndpointStats> stats = windows.map(w -> new EndpointStats(w.windowStartMs(), w.windowEndMs(),
                w.key().service(), w.key().endpoint(), w.value().requests(), w.value().errors(), w.value().p50(), w.value().p95(),
                w.value().p99(), w.value().maxLatency()));
        stats.to(tables.endpointStats());

        EventStream<Alert> alerts = stats
                .filter(s -> s.errorRate() > alertErrorRate)
                .map(s -> new Alert(s.windowStart(), s.windowEnd(), s.service(), s.endpoint(), s.requests(), s.errors(),
                        s.errorRate(), alertErrorRate));
        alerts.to(tables.alerts());
        alerts.to(tables.alertConsole());

        job.deadLetters().map(DeadLetterEntry::of).to(deadLetterSinks.apply("dead-letters"));
        windows.lateEvents().map(r -> DeadLetterEntry.late("endpoint_stats", r.ts(), r)).to(deadLetterSinks.apply("late-endpoint-stats"));
    }
}
