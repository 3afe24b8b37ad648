package io.runnel.examples.appstats;

import io.runnel.connectors.console.ConsoleSink;
import io.runnel.examples.common.ConsoleTable;
import io.runnel.examples.common.DeadLetterFile;
import io.runnel.examples.common.ExampleApp;
import io.runnel.examples.common.ExampleOptions;
import io.runnel.examples.common.Flags;
import io.runnel.examples.common.LineInput;
import io.runnel.examples.common.LineParser;
import io.runnel.streams.StreamJob;
import io.runnel.streams.connect.Source;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * The app-stats example: per-endpoint request statistics per minute and error-rate alerts from
 * services' request logs (see {@link AppStatsJob} for the tables and examples/README.md for the
 * command line).
 *
 * <pre>
 * java -jar examples/app-stats/target/app-stats.jar [--input requests.jsonl] [--jdbc url]
 *      [--out-of-orderness 5s] [--state-dir dir] [--alert-error-rate 0.05]
 * </pre>
 */
public final class AppStats extends ExampleApp<Request> {

    /** Default {@code --alert-error-rate}: 5% of a window's requests failing. */
    public static final double DEFAULT_ALERT_ERROR_RATE = 0.05;

    public AppStats() {
        super("app-stats");
    }

    public static void main(String[] args) {
        new AppStats().runAndExit(args);
    }

    @Override
    protected String description() {
        return """
                Application statistics: reads services' request logs (one JSON object per line:
                {"ts": <epoch ms>, "service": "<name>", "endpoint": "<path>", "latencyMs": <number>, "status": <int>})
                through a log topic and computes, in event time, per service, endpoint and minute:
                  endpoint_stats(window_start, window_end, service, endpoint, requests, errors,
                                 p50, p95, p99, max_latency)      errors: status >= 500; exact nearest-rank percentiles
                  alerts(window_start, window_end, service, endpoint, requests, errors, error_rate, threshold)
                                                                  windows whose error rate exceeded --alert-error-rate
                Alerts are also printed as they happen. Without --input it runs a demo on generated logs.
                Killed and run again with the same arguments, it resumes; the tables end as if it had never
                been killed.""";
    }

    @Override
    protected void addFlags(Flags flags) {
        flags.flag("--alert-error-rate", "<fraction>", "alert when a window's errors / requests exceeds this, like 0.05 or 5%\n"
                + "(default: 0.05)");
    }

    @Override
    protected void checkFlags(Flags.Parsed flags) {
        flags.fraction("--alert-error-rate", DEFAULT_ALERT_ERROR_RATE);
    }

    @Override
    protected LineParser<Request> parser() {
        return new RequestParser();
    }

    @Override
    protected LineInput demoInput() {
        return RequestLog.demo();
    }

    @Override
    protected void plan(StreamJob job, Source<Request> events, ExampleOptions options, DeadLetterFile deadLetters, PrintStream out) {
        double threshold = options.flags().fraction("--alert-error-rate", DEFAULT_ALERT_ERROR_RATE);
        AppStatsJob.plan(job, events, options.outOfOrderness(), threshold,
                AppStatsJob.Tables.jdbc(options.jdbcUrl(), ConsoleSink.lines("alerts-console", out, Alert::consoleLine)),
                deadLetters::sink);
    }

    @Override
    protected void checkSinks(ExampleOptions options) {
        AppStatsJob.Tables.jdbc(options.jdbcUrl(), ConsoleSink.lines("alerts-console", System.out, Alert::consoleLine));
    }

    @Override
    protected void printSummary(ExampleOptions options, PrintStream out) throws Exception {
        try (Connection db = DriverManager.getConnection(options.jdbcUrl()); Statement st = db.createStatement()) {
            ConsoleTable endpoints = ConsoleTable.of("Busiest endpoints (all windows)", "service", "endpoint", "requests",
                    "errors", "worst p99 ms", "max ms");
            try (ResultSet rs = st.executeQuery("SELECT service, endpoint, SUM(requests) AS total, SUM(errors), MAX(p99),"
                    + " MAX(max_latency) FROM endpoint_stats GROUP BY service, endpoint ORDER BY total DESC, service, endpoint LIMIT 10")) {
                while (rs.next()) {
                    endpoints.row(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), String.format("%.1f", rs.getDouble(5)),
                            String.format("%.1f", rs.getDouble(6)));
                }
            }
            out.println(endpoints);

            long count;
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM alerts")) {
                rs.next();
                count = rs.getLong(1);
            }
            ConsoleTable alerts = ConsoleTable.of("Alerts: " + count + " window(s) over the error-rate threshold"
                    + (count > 10 ? " (first 10)" : ""), "minute (UTC)", "service", "endpoint", "requests", "errors", "error rate");
            try (ResultSet rs = st.executeQuery("SELECT window_start, service, endpoint, requests, errors, error_rate FROM alerts"
                    + " ORDER BY window_start, service, endpoint LIMIT 10")) {
                while (rs.next()) {
                    alerts.row(ConsoleTable.utcMinute(rs.getLong(1)), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5),
                            String.format("%.1f%%", rs.getDouble(6) * 100));
                }
            }
            out.print(alerts);
        }
    }
}
