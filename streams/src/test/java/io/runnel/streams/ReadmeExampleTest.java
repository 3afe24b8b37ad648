package io.runnel.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's streams example, compiled and run: first with the JobTestDriver, then for real. */
class ReadmeExampleTest {

    record PageView(String user, String url, long ts) {
    }

    @TempDir
    Path stateDir;

    private final CollectionSource<PageView> pageViewSource = CollectionSource.of("page-views", List.of(
            new PageView("u1", "/a", 1_000), new PageView("u2", "/a", 61_000), new PageView("u1", "/b", 62_000)));
    private final CollectingSink<WindowResult<String, Long>> resultsSink = CollectingSink.named("page-view-counts");
    private final CollectingSink<PageView> lateSink = CollectingSink.named("late-views");
    private final CollectingSink<WindowResult<String, Long>> sessionsSink = CollectingSink.named("sessions");
    private final CollectingSink<DeadLetter> deadLetterSink = CollectingSink.named("dead-letters");
    private AggregatedStream<String, PageView, Long> perUrl;

    private StreamJob webActivity() {
        var job = StreamJob.named("web-activity", JobConfig.defaults()
                .withParallelism(2)
                .withStateDir(stateDir.resolve("web-activity-state"))
                .withCheckpointInterval(Duration.ofSeconds(10)));

        SourceStream<PageView> views = job.source(pageViewSource)
                .withEventTime(PageView::ts, Duration.ofSeconds(5));

        perUrl = views
                .filter(v -> !v.url().isEmpty())
                .keyBy(PageView::url)
                .window(Windows.tumbling(Duration.ofMinutes(1)))
                .count(StateOptions.named("views-per-url"));
        perUrl.to(resultsSink);
        perUrl.lateEvents().to(lateSink);

        views.keyBy(PageView::user)
                .window(Windows.session(Duration.ofMinutes(30)))
                .aggregate(Statistics.distinctCount(PageView::url))
                .to(sessionsSink);

        job.deadLetters().to(deadLetterSink);
        return job;
    }

    @Test
    void shouldRunTheReadmeExampleInTheDriverAndForReal() {
        StreamJob job = webActivity();
        assertThat(job.describe()).contains("views-per-url", "exchange by key");
        try (var driver = JobTestDriver.of(job)) {
            var source = driver.input(pageViewSource);
            source.send(new PageView("u1", "/a", 1_000), 1_000)
                  .send(new PageView("u2", "/a", 61_000), 61_000);
            source.advanceWatermarkTo(120_000);
            driver.advanceProcessingTime(Duration.ofSeconds(5));
            driver.endAllInputs();
            assertThat(driver.output(resultsSink)).extracting(WindowResult::value).containsExactly(1L, 1L);
            assertThat(driver.lateEvents(perUrl)).isEmpty();
            assertThat(driver.deadLetters()).isEmpty();
        }
        job.run();
        assertThat(resultsSink.records()).containsExactlyInAnyOrder(
                new WindowResult<>("/a", 0, 60_000, 1L, WindowResult.Kind.FINAL),
                new WindowResult<>("/a", 60_000, 120_000, 1L, WindowResult.Kind.FINAL),
                new WindowResult<>("/b", 60_000, 120_000, 1L, WindowResult.Kind.FINAL));
        assertThat(sessionsSink.records()).extracting(WindowResult::value).containsExactlyInAnyOrder(2L, 1L);
    }
}
