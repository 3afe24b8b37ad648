package io.runnel.examples.webactivity;

import io.runnel.connectors.jdbc.JdbcSink;
import io.runnel.examples.common.ConsoleTable;
import io.runnel.examples.common.DeadLetterFile;
import io.runnel.examples.common.ExampleApp;
import io.runnel.examples.common.ExampleOptions;
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
 * The web-activity example: page views per minute, unique visitors and top pages per hour, and
 * sessions, from a clickstream (see {@link WebActivityJob} for the tables and examples/README.md for
 * the command line).
 *
 * <pre>
 * java -jar examples/web-activity/target/web-activity.jar [--input events.jsonl] [--jdbc url]
 *      [--out-of-orderness 5s] [--state-dir dir] [--http port]
 * </pre>
 */
public final class WebActivity extends ExampleApp<PageView> {

    public WebActivity() {
        super("web-activity");
    }

    public static void main(String[] args) {
        new WebActivity().runAndExit(args);
    }

    @Override
    protected String description() {
        return """
                Web-activity tracking: reads page views (one JSON object per line:
                {"ts": <epoch ms>, "user": "<id>", "url": "<path>", "referrer": "<url or empty>", "userAgent": "<ua>"})
                through a log topic and computes, in event time, the tables
                  page_views(window_start, window_end, url, views)             per url per minute
                  unique_visitors(window_start, window_end, visitors)         distinct users per hour
                  sessions(user, session_start, session_end, page_views)      30-minute inactivity gap
                  top_pages(window_start, window_end, rank, url, views)       10 most viewed urls per hour
                Without --input or --http it runs a demo on a generated clickstream. Killed and run again
                with the same arguments, it resumes; the tables end as if it had never been killed.""";
    }

    @Override
    protected LineParser<PageView> parser() {
        return new PageViewParser();
    }

    @Override
    protected LineInput demoInput() {
        return Clickstream.demo();
    }

    @Override
    protected void plan(StreamJob job, Source<PageView> events, ExampleOptions options, DeadLetterFile deadLetters,
                        PrintStream out) {
        WebActivityJob.plan(job, events, options.outOfOrderness(), WebActivityJob.Tables.jdbc(options.jdbcUrl()),
                deadLetters::sink);
    }

    /** Events of one user share a partition of the HTTP topic. */
    @Override
    protected String httpKeyField() {
        return "user";
    }

    @Override
    protected void checkSinks(ExampleOptions options) {
        WebActivityJob.Tables.jdbc(options.jdbcUrl());
    }

    @Override
    protected void printSummary(ExampleOptions options, PrintStream out) throws Exception {
        try (Connection db = DriverManager.getConnection(options.jdbcUrl()); Statement st = db.createStatement()) {
            ConsoleTable pages = ConsoleTable.of("Top pages (all hours)", "rank", "url", "views");
            try (ResultSet rs = st.executeQuery("SELECT url, SUM(views) AS total FROM page_views GROUP BY url"
                    + " ORDER BY total DESC, url LIMIT 5")) {
                for (int rank = 1; rs.next(); rank++) {
                    pages.row(rank, rs.getString(1), rs.getLong(2));
                }
            }
            out.println(pages);

            ConsoleTable visitors = ConsoleTable.of("Unique visitors per hour (UTC)", "hour", "visitors", "top page", "views");
            try (ResultSet rs = st.executeQuery("SELECT v.window_start, v.visitors, t.url, t.views FROM unique_visitors v"
                    + " LEFT JOIN top_pages t ON t.window_start = v.window_start AND t.rank = 1 ORDER BY v.window_start LIMIT 24")) {
                while (rs.next()) {
                    visitors.row(ConsoleTable.utcMinute(rs.getLong(1)), rs.getLong(2), rs.getString(3), rs.getLong(4));
                }
            }
            out.println(visitors);

            ConsoleTable sessions = ConsoleTable.of("Sessions", "sessions", "users", "page views/session", "minutes/session");
            // "user" is a reserved word in PostgreSQL and H2
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*), COUNT(DISTINCT " + JdbcSink.quotedName(db, "user") + "), AVG(page_views),"
                    + " AVG(session_end - session_start - " + WebActivityJob.SESSION_GAP.toMillis() + ") FROM sessions")) {
                rs.next();
                sessions.row(rs.getLong(1), rs.getLong(2), String.format("%.1f", rs.getDouble(3)),
                        String.format("%.1f", rs.getDouble(4) / 60_000));
            }
            out.print(sessions);
        }
    }
}
