package io.runnel.examples.guide;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.connectors.file.FileSource;
import io.runnel.connectors.jdbc.JdbcSink;
import io.runnel.examples.common.DatabaseTables;
import io.runnel.examples.guide.PageViewsJob.PageView;
import io.runnel.examples.guide.PageViewsJob.UrlViews;
import io.runnel.streams.CollectingSink;
import io.runnel.streams.CollectionSource;
import io.runnel.streams.JobTestDriver;
import io.runnel.streams.StreamJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tests of docs/JOBS.md's job: the guide quotes the first one. */
class PageViewsJobTest {

    @Test
    void shouldCountViewsPerUrlAndMinute() {
        var views = CollectionSource.<PageView>of("views", List.of());
        var results = CollectingSink.<UrlViews>named("results");
        StreamJob job = PageViewsJob.plan(views, results);
        try (var driver = JobTestDriver.of(job)) {
            driver.input(views)
                    .send(new PageView(1_000, "u1", "/home"), 1_000)
                    .send(new PageView(59_999, "u2", "/home"), 59_999)
                    .send(new PageView(60_000, "u1", "/home"), 60_000);   // the next minute
            driver.endAllInputs();                                          // the end of the input: every window fires
            assertThat(driver.output(results)).containsExactlyInAnyOrder(
                    new UrlViews(0, "/home", 2),
                    new UrlViews(60_000, "/home", 1));
        }
    }

    @TempDir
    Path dir;

    @Test
    void shouldRunOnAFileIntoSqliteAndGoOnAfterABadLine() throws Exception {
        Path events = dir.resolve("events.jsonl");
        Files.writeString(events, """
                {"ts": 1000, "user": "u1", "url": "/home", "referrer": ""}
                {"ts": 2000, "user": "u2"}
                {"ts": 61000, "user": "u2", "url": "/docs"}
                """);
        String db = "jdbc:sqlite:" + dir.resolve("views.db");
        StreamJob job = PageViewsJob.plan(
                FileSource.jsonLines("views", events).map(n -> new PageView(n.get("ts").asLong(), n.get("user").asText(), n.get("url").asText())),
                JdbcSink.upsert(db, "url_views", UrlViews.class).keys("window_start", "url").createTable().build());
        job.run(job.config().withStateDir(dir.resolve("state")));
        assertThat(DatabaseTables.read(db, "url_views").get("url_views")).containsExactlyInAnyOrder(
                List.of(0L, "/home", 1L), List.of(60_000L, "/docs", 1L));
    }
}
