package io.runnel.examples.webactivity;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.examples.common.DeadLetterEntry;
import io.runnel.examples.common.MalformedLineException;
import io.runnel.streams.BadDataPolicy;
import io.runnel.streams.CollectingSink;
import io.runnel.streams.CollectionSource;
import io.runnel.streams.JobConfig;
import io.runnel.streams.JobTestDriver;
import io.runnel.streams.StreamJob;
import io.runnel.streams.TestInput;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The web-activity plan under the job test driver, against results computed by hand. */
class WebActivityJobTest {

    private static final long MIN = 60_000;
    private static final long HOUR = 60 * MIN;

    private final CollectionSource<PageView> source = CollectionSource.of("events", List.of());
    private final CollectingSink<PageViewCount> pageViews = CollectingSink.named("page_views");
    private final CollectingSink<UniqueVisitors> visitors = CollectingSink.named("unique_visitors");
    private final CollectingSink<Session> sessions = CollectingSink.named("sessions");
    private final CollectingSink<TopPage> topPages = CollectingSink.named("top_pages");
    private final Map<String, CollectingSink<DeadLetterEntry>> deadLetterSinks = new HashMap<>();
    private JobTestDriver driver;
    private TestInput<PageView> input;

    @BeforeEach
    void plan() {
        StreamJob job = StreamJob.named("web-activity", JobConfig.defaults().withBadDataPolicy(BadDataPolicy.DEAD_LETTER));
        WebActivityJob.plan(job, source, Duration.ofSeconds(5), new WebActivityJob.Tables(pageViews, visitors, sessions, topPages),
                name -> deadLetterSinks.computeIfAbsent(name, CollectingSink::named));
        driver = JobTestDriver.of(job);
        input = driver.input(source);
    }

    /** What reached the dead-letter sinks whose names start with {@code prefix}. */
    private List<DeadLetterEntry> deadLetters(String prefix) {
        List<DeadLetterEntry> all = new ArrayList<>();
        deadLetterSinks.forEach((name, sink) -> {
            if (name.startsWith(prefix)) {
                all.addAll(driver.output(sink));
            }
        });
        return all;
    }

    private void view(long ts, String user, String url) {
        input.send(new PageView(ts, user, url, "", "ua"), ts);
    }

    @Test
    void shouldCountViewsPerUrlInHalfOpenMinuteWindowsAlignedToTheEpoch() {
        view(0, "u1", "/a");
        view(30_000, "u2", "/b");
        view(59_999, "u1", "/a");
        view(60_000, "u1", "/a"); // the next window's first millisecond
        driver.endAllInputs();
        assertThat(driver.output(pageViews)).containsExactlyInAnyOrder(
                new PageViewCount(0, MIN, "/a", 2),
                new PageViewCount(0, MIN, "/b", 1),
                new PageViewCount(MIN, 2 * MIN, "/a", 1));
    }

    @Test
    void shouldCountExactDistinctUsersPerHour() {
        view(10, "u1", "/a");
        view(20, "u2", "/a");
        view(30, "u1", "/b");
        view(HOUR - 1, "u3", "/c");
        view(HOUR, "u1", "/a");
        driver.endAllInputs();
        assertThat(driver.output(visitors)).containsExactlyInAnyOrder(
                new UniqueVisitors(0, HOUR, 3), new UniqueVisitors(HOUR, 2 * HOUR, 1));
    }

    @Test
    void shouldKeepASessionAcrossAGapOfExactlyThirtyMinutesAndEndItThirtyMinutesAfterItsLastEvent() {
        long gap = 30 * MIN;
        view(0, "u1", "/a");
        view(5 * MIN, "u2", "/a");
        view(gap, "u1", "/b");                 // exactly 30 minutes later: same session
        view(2 * gap + 1, "u1", "/c");         // 30 minutes and 1 ms later: a new session
        driver.endAllInputs();
        assertThat(driver.output(sessions)).containsExactlyInAnyOrder(
                new Session("u1", 0, gap + gap, 2),
                new Session("u1", 2 * gap + 1, 2 * gap + 1 + gap, 1),
                new Session("u2", 5 * MIN, 5 * MIN + gap, 1));
    }

    @Test
    void shouldMergeTwoSessionsWhenAnOutOfOrderEventBridgesTheGap() {
        view(0, "u1", "/a");
        view(30 * MIN + 2_000, "u1", "/c");    // 30 min 2 s later: a second session, so far
        view(30 * MIN - 1_000, "u1", "/b");    // 3 s out of order (within the bound), 30 min - 1 s after the first: one session
        driver.endAllInputs();
        assertThat(driver.output(sessions)).containsExactly(new Session("u1", 0, 30 * MIN + 2_000 + 30 * MIN, 3));
        assertThat(deadLetters("late-")).isEmpty();
    }

    @Test
    void shouldRankTheTenMostViewedUrlsOfEachHourBreakingTiesByUrl() {
        // views per url in hour 0: /k 5, /b 3, /a 3, /c 2, then /d../l 1 each (9 urls tied at 1)
        String[] ones = {"/l", "/j", "/i", "/h", "/g", "/f", "/e", "/d"};
        long t = 0;
        for (int i = 0; i < 5; i++) {
            view(t++, "u", "/k");
        }
        for (int i = 0; i < 3; i++) {
            view(t++, "u", "/b");
            view(t++, "u", "/a");
        }
        view(t++, "u", "/c");
        view(t++, "u", "/c");
        for (String url : ones) {
            view(t++, "u", url);
        }
        view(HOUR + 5, "u", "/z");
        driver.endAllInputs();
        assertThat(driver.output(topPages)).containsExactly(
                new TopPage(0, HOUR, 1, "/k", 5),
                new TopPage(0, HOUR, 2, "/a", 3),
                new TopPage(0, HOUR, 3, "/b", 3),
                new TopPage(0, HOUR, 4, "/c", 2),
                new TopPage(0, HOUR, 5, "/d", 1),
                new TopPage(0, HOUR, 6, "/e", 1),
                new TopPage(0, HOUR, 7, "/f", 1),
                new TopPage(0, HOUR, 8, "/g", 1),
                new TopPage(0, HOUR, 9, "/h", 1),
                new TopPage(0, HOUR, 10, "/i", 1),
                new TopPage(HOUR, 2 * HOUR, 1, "/z", 1));
    }

    @Test
    void shouldCountEventsWithinTheOutOfOrdernessBoundAndSendLaterOnesToTheLateEvents() {
        view(10_000, "u1", "/a");
        view(6_000, "u2", "/a");     // 4 s behind the newest: within the 5 s bound
        view(100_000, "u1", "/a");
        view(94_000, "u3", "/a");    // 6 s behind: watermark 95,000 passed it
        driver.endAllInputs();
        assertThat(driver.output(pageViews)).containsExactlyInAnyOrder(
                new PageViewCount(0, MIN, "/a", 2), new PageViewCount(MIN, 2 * MIN, "/a", 1));
        assertThat(driver.output(visitors)).containsExactly(new UniqueVisitors(0, HOUR, 2));
        assertThat(deadLetters("late-")).extracting(DeadLetterEntry::reason).extracting(r -> r.substring(0, r.indexOf(':')))
                .containsExactlyInAnyOrder("late for page_views", "late for unique_visitors", "late for top_pages", "late for sessions");
        assertThat(deadLetters("late-")).allMatch(e -> e.line() == null && e.position().equals("late"));
    }

    @Test
    void shouldDeadLetterMalformedLinesWithTheirLineNumberAndGoOn() {
        view(1_000, "u1", "/a");
        input.sendMalformed("events.jsonl:2", "{\"ts\": 1".getBytes(StandardCharsets.UTF_8),
                new MalformedLineException("not JSON: Unexpected end-of-input at column 9"));
        view(2_000, "u1", "/a");
        driver.endAllInputs();
        assertThat(deadLetters("dead-letters")).containsExactly(new DeadLetterEntry("events.jsonl:2", 2L,
                "not JSON: Unexpected end-of-input at column 9", "{\"ts\": 1"));
        assertThat(driver.output(pageViews)).containsExactly(new PageViewCount(0, MIN, "/a", 2));
    }
}
