package io.runnel.examples.guide;

import com.fasterxml.jackson.databind.JsonNode;
import io.runnel.connectors.console.ConsoleSink;
import io.runnel.connectors.file.FileSource;
import io.runnel.connectors.jdbc.JdbcSink;
import io.runnel.streams.BadDataPolicy;
import io.runnel.streams.JobConfig;
import io.runnel.streams.StateOptions;
import io.runnel.streams.StreamJob;
import io.runnel.streams.Windows;
import io.runnel.streams.connect.Sink;
import io.runnel.streams.connect.Source;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The job of docs/JOBS.md, "Deploying jobs as fat jars": page views per url per minute, from a JSON
 * lines file into a SQLite table. The guide quotes this file; {@code JobsGuideTest} checks that the
 * quotes and this code agree.
 */
public final class PageViewsJob {

    /** A page view as the input lines carry it (other fields are ignored). */
    public record PageView(long ts, String user, String url) {
    }

    /** A result row: the views of a url in the minute starting at windowStart. */
    public record UrlViews(long windowStart, String url, long views) {
    }

    /** The job: built from any source and sink, so a test can give it in-memory ones. */
    public static StreamJob plan(Source<PageView> views, Sink<UrlViews> results) {
        StreamJob job = StreamJob.named("page-views", JobConfig.defaults()
                .withStateDir(Path.of("page-views-state"))          // bin/runnel run --state-dir overrides it
                .withBadDataPolicy(BadDataPolicy.DEAD_LETTER));     // a bad line is reported, the job goes on
        job.source(views)
                .withEventTime(PageView::ts, Duration.ofSeconds(5))
                .keyBy(PageView::url)
                .window(Windows.tumbling(Duration.ofMinutes(1)))
                .count(StateOptions.named("views-per-url"))
                .map(r -> new UrlViews(r.windowStartMs(), r.key(), r.value()))
                .to(results);
        job.deadLetters().to(ConsoleSink.jsonLines("bad-lines", System.err));
        return job;
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: java -jar page-views-job.jar <events.jsonl> <jdbc url, e.g. jdbc:sqlite:views.db>");
            System.exit(2);
        }
        Source<PageView> views = FileSource.jsonLines("views", Path.of(args[0]))
                .map((JsonNode n) -> new PageView(n.get("ts").asLong(), n.get("user").asText(), n.get("url").asText()));
        Sink<UrlViews> results = JdbcSink.upsert(args[1], "url_views", UrlViews.class)
                .keys("window_start", "url")
                .createTable()
                .build();
        plan(views, results).run();   // applies -Drunnel.job.* properties; runs to the end of the file
    }
}
