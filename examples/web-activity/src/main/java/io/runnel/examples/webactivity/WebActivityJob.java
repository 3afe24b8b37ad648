package io.runnel.examples.webactivity;

import io.runnel.connectors.jdbc.JdbcSink;
import io.runnel.examples.common.DeadLetterEntry;
import io.runnel.streams.AggregatedStream;
import io.runnel.streams.SourceStream;
import io.runnel.streams.StateOptions;
import io.runnel.streams.Statistics;
import io.runnel.streams.StreamJob;
import io.runnel.streams.TopN;
import io.runnel.streams.WindowResult;
import io.runnel.streams.Windows;
import io.runnel.streams.connect.Sink;
import io.runnel.streams.connect.Source;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The web-activity job's plan: page views in event time into four tables.
 *
 * <ul>
 *   <li>{@code page_views}: views per url per 1-minute tumbling window;</li>
 *   <li>{@code unique_visitors}: exact distinct users per 1-hour tumbling window;</li>
 *   <li>{@code sessions}: per user, events at most 30 minutes apart (a gap of exactly 30 minutes
 *       keeps the session), ending 30 minutes after the last event;</li>
 *   <li>{@code top_pages}: the 10 most viewed urls per 1-hour window, ties by url ascending.</li>
 * </ul>
 * Windows are aligned to the epoch and half-open. Each result is emitted once, when its window
 * closes; events more out of order than the bound are late and go to the dead letters (they are in
 * no table). The plan reads and writes only through the source and sinks it is given, so tests run
 * it with in-memory ones.
 */
public final class WebActivityJob {

    /** Page views are counted per minute. */
    public static final Duration MINUTE = Duration.ofMinutes(1);
    /** Visitors and top pages are per hour. */
    public static final Duration HOUR = Duration.ofHours(1);
    /** A session ends after this much inactivity. */
    public static final Duration SESSION_GAP = Duration.ofMinutes(30);
    /** Rows per hour in {@code top_pages}. */
    public static final int TOP_PAGES = 10;

    /**
     * Where the results go.
     *
     * @param pageViews      {@code page_views}
     * @param uniqueVisitors {@code unique_visitors}
     * @param sessions       {@code sessions}
     * @param topPages       {@code top_pages}
     */
    public record Tables(Sink<PageViewCount> pageViews, Sink<UniqueVisitors> uniqueVisitors, Sink<Session> sessions,
                         Sink<TopPage> topPages) {

        /** The four tables at {@code jdbcUrl}, created if absent, rows upserted on their keys. */
        public static Tables jdbc(String jdbcUrl) {
            return new Tables(
                    JdbcSink.upsert(jdbcUrl, "page_views", PageViewCount.class).keys("window_start", "url").createTable().build(),
                    JdbcSink.upsert(jdbcUrl, "unique_visitors", UniqueVisitors.class).keys("window_start").createTable().build(),
                    JdbcSink.upsert(jdbcUrl, "sessions", Session.class).keys("user", "session_start").createTable().build(),
                    JdbcSink.upsert(jdbcUrl, "top_pages", TopPage.class).keys("window_start", "rank").createTable().build());
        }
    }

    private WebActivityJob() {
    }

    /**
     * Adds the plan to {@code job}: {@code events} with event time and {@code outOfOrderness}, the
     * four tables, and what the tables cannot take into sinks made by {@code deadLetterSinks} from a
     * name: the job's dead letters (malformed lines) into {@code "dead-letters"}, events too late for
     * a table's windows into {@code "late-<table>"}.
     */
    public static void plan(StreamJob job, Source<PageView> events, Duration outOfOrderness, Tables tables,
                            Function<String, Sink<DeadLetterEntry>> deadLetterSinks) {
        Objects.requireNonNull(tables, "tables");
        SourceStream<PageView> views = job.source(events).withEventTime(PageView::ts, outOfOrderness);

        AggregatedStream<String, PageView, Long> perUrl = views
                .keyBy(PageView::url)
                .window(Windows.tumbling(MINUTE))
                .count(StateOptions.named("views-per-url-minute"));
        perUrl.map(r -> new PageViewCount(r.windowStartMs(), r.windowEndMs(), r.key(), r.value())).to(tables.pageViews());

        // One key for the whole site: an hour's distinct users and url counts are one window's state.
        AggregatedStream<String, PageView, Long> visitors = views
                .keyBy(v -> "site")
                .window(Windows.tumbling(HOUR))
                .aggregate(Statistics.distinctCount(PageView::user), StateOptions.named("visitors-per-hour"));
        visitors.map(r -> new UniqueVisitors(r.windowStartMs(), r.windowEndMs(), r.value())).to(tables.uniqueVisitors());

        AggregatedStream<String, PageView, TopN<String>> top = views
                .keyBy(v -> "site")
                .window(Windows.tumbling(HOUR))
                .aggregate(Statistics.topN(TOP_PAGES, PageView::url), StateOptions.named("top-urls-per-hour"));
        top.flatMap(WebActivityJob::ranked).to(tables.topPages());

        AggregatedStream<String, PageView, Long> sessions = views
                .keyBy(PageView::user)
                .window(Windows.session(SESSION_GAP))
                .count(StateOptions.named("sessions-per-user"));
        sessions.map(r -> new Session(r.key(), r.windowStartMs(), r.windowEndMs(), r.value())).to(tables.sessions());

        job.deadLetters().map(DeadLetterEntry::of).to(deadLetterSinks.apply("dead-letters"));
        // one sink per table: merging the late events of windows in different stages would be neater, but
        // such a job does not end at parallelism 2 or more (reported to the streams module)
        late(perUrl, "page_views", deadLetterSinks);
        late(visitors, "unique_visitors", deadLetterSinks);
        late(top, "top_pages", deadLetterSinks);
        late(sessions, "sessions", deadLetterSinks);
    }

    /** An hour's top urls as rows, rank 1 first (TopN orders by count descending, then url ascending). */
    private static void ranked(WindowResult<String, TopN<String>> r, java.util.function.Consumer<TopPage> out) {
        List<TopN.Entry<String>> entries = new ArrayList<>(r.value().entries());
        for (int i = 0; i < entries.size(); i++) {
            out.accept(new TopPage(r.windowStartMs(), r.windowEndMs(), i + 1, entries.get(i).item(), entries.get(i).count()));
        }
    }

    private static void late(AggregatedStream<String, PageView, ?> stream, String table,
                             Function<String, Sink<DeadLetterEntry>> deadLetterSinks) {
        stream.lateEvents().map(v -> DeadLetterEntry.late(table, v.ts(), v)).to(deadLetterSinks.apply("late-" + table.replace('_', '-')));
    }
}
