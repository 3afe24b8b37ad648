package io.runnel.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules of docs/SEMANTICS.md, one scenario each, through the JobTestDriver. */
class TimeSemanticsTest {

    record E(String key, long ts) {
    }

    private final CollectionSource<E> src = CollectionSource.of("events", List.of());
    private final CollectingSink<WindowResult<String, Long>> sink = CollectingSink.named("out");

    private AggregatedStream<String, E, Long> counts(StreamJob job, long boundMs, Windows w) {
        AggregatedStream<String, E, Long> a = job.source(src).withEventTime(E::ts, Duration.ofMillis(boundMs)).keyBy(E::key).window(w).count();
        a.to(sink);
        return a;
    }

    private static WindowResult<String, Long> result(String key, long start, long end, long value, WindowResult.Kind kind) {
        return new WindowResult<>(key, start, end, value, kind);
    }

    @Test
    void shouldFireTumblingWindowExactlyWhenWatermarkReachesItsEnd() {
        StreamJob job = StreamJob.named("fire");
        counts(job, 0, Windows.tumbling(Duration.ofMillis(10)));
        try (JobTestDriver d = JobTestDriver.of(job)) {
            TestInput<E> in = d.input(src);
            in.send(new E("a", 3), 0).send(new E("a", 9), 0);
            in.advanceWatermarkTo(9);
            assertThat(d.output(sink)).isEmpty();
            in.advanceWatermarkTo(10);
            assertThat(d.output(sink)).containsExactly(result("a", 0, 10, 2, WindowResult.Kind.FINAL));
            in.advanceWatermarkTo(100);
            assertThat(d.output(sink)).hasSize(1); // fires once
        }
    }

    @Test
    void shouldFireSessionWhenWatermarkPassesLastEventPlusGap() {
        StreamJob job = StreamJob.named("session");
        counts(job, 0, Windows.session(Duration.ofMillis(10)));
        try (JobTestDriver d = JobTestDriver.of(job)) {
            TestInput<E> in = d.input(src);
            in.send(new E("a", 0), 0).send(new E("a", 10), 0); // 10 apart: same session
            in.advanceWatermarkTo(20);
            assertThat(d.output(sink)).isEmpty(); // W = last + gap: an event at 20 could still join
            in.advanceWatermarkTo(21);
            assertThat(d.output(sink)).containsExactly(result("a", 0, 20, 2, WindowResult.Kind.FINAL));
        }
    }

    @Test
    void shouldSplitSessionsOnGapsAndMergeWhenAnEventBridgesThem() {
        StreamJob job = StreamJob.named("merge");
        counts(job, 100, Windows.session(Duration.ofMillis(10)));
        try (JobTestDriver d = JobTestDriver.of(job)) {
            TestInput<E> in = d.input(src);
            in.send(new E("a", 0), 0).send(new E("a", 5), 0).send(new E("a", 16), 0);  // 16 - 5 > 10: split
            in.send(new E("a", 40), 0).send(new E("a", 58), 0);                        // two more sessions
            in.send(new E("a", 49), 0);                                                 // bridges 40 and 58
            d.endAllInputs();
            assertThat(d.output(sink)).containsExactlyInAnyOrder(
                    result("a", 0, 15, 2, WindowResult.Kind.FINAL),
                    result("a", 16, 26, 1, WindowResult.Kind.FINAL),
                    result("a", 40, 68, 3, WindowResult.Kind.FINAL));
        }
    }

    @Test
    void shouldSendEventsBehindTheWatermarkToLateEventsAndCountThem() {
        StreamJob job = StreamJob.named("late");
        AggregatedStream<String, E, Long> a = counts(job, 5, Windows.tumbling(Duration.ofMillis(100)));
        CollectingSink<E> lateSink = CollectingSink.named("late");
        a.lateEvents().to(lateSink);
        try (JobTestDriver d = JobTestDriver.of(job)) {
            TestInput<E> in = d.input(src);
            in.send(new E("a", 50), 0);   // W = 45
            in.send(new E("a", 45), 0);   // = W: not late
            in.send(new E("a", 44), 0);   // < W: late, though its window is open
            in.send(new E("a", 120), 0);  // W = 115: window [0,100) fires with 2
            in.send(new E("b", 99), 0);   // late
            d.endAllInputs();
            assertThat(d.lateEvents(a)).containsExactly(new E("a", 44), new E("b", 99));
            assertThat(d.output(lateSink)).containsExactly(new E("a", 44), new E("b", 99));
            assertThat(d.output(sink)).containsExactly(result("a", 0, 100, 2, WindowResult.Kind.FINAL),
                    result("a", 100, 200, 1, WindowResult.Kind.FINAL));
            assertThat(d.metrics().operator("events/keyBy/tumbling(PT0.1S).count").lateEvents()).isEqualTo(2);
        }
    }

    @Test
    void shouldUpdateFiredWindowsWithinAllowedLateness() {
        StreamJob job = StreamJob.named("lateness");
        AggregatedStream<String, E, Long> a = counts(job, 0, Windows.tumbling(Duration.ofMillis(100)).withAllowedLateness(Duration.ofMillis(50)));
        try (JobTestDriver d = JobTestDriver.of(job)) {
            TestInput<E> in = d.input(src);
            in.send(new E("a", 10), 0).send(new E("a", 120), 0);   // W = 120: [0,100) fired with 1
            in.send(new E("a", 70), 0);                             // >= W - 50: late update
            in.send(new E("a", 69), 0);                             // < W - 50: late event
            in.send(new E("a", 150), 0);                            // W = 150 >= 100 + 50: [0,100) dropped
            d.endAllInputs();
            assertThat(d.output(sink)).containsExactly(
                    result("a", 0, 100, 1, WindowResult.Kind.FINAL),
                    result("a", 0, 100, 2, WindowResult.Kind.LATE_UPDATE),
                    result("a", 100, 200, 2, WindowResult.Kind.FINAL));
            assertThat(d.lateEvents(a)).containsExactly(new E("a", 69));
        }
    }

    @Test
    void shouldNotLetAnIdleInputHoldTheWatermarkBack() {
        CollectionSource<E> other = CollectionSource.of("other", List.of());
        StreamJob job = StreamJob.named("idle");
        job.source(src).withEventTime(E::ts, Duration.ZERO)
                .merge(job.source(other).withEventTime(E::ts, Duration.ZERO))
                .keyBy(E::key).window(Windows.tumbling(Duration.ofMillis(10))).count().to(sink);
        try (JobTestDriver d = JobTestDriver.of(job)) {
            d.input(src).send(new E("a", 1), 0).send(new E("a", 25), 0);
            assertThat(d.output(sink)).as("the other input has no watermark yet: W = min = -inf").isEmpty();
            d.input(other).markIdle();
            assertThat(d.output(sink)).containsExactly(result("a", 0, 10, 1, WindowResult.Kind.FINAL));
            d.input(other).send(new E("b", 30), 0); // active again: W = min(25, 30)
            d.input(src).send(new E("a", 40), 0);
            assertThat(d.output(sink)).hasSize(2);
        }
    }

    @Test
    void shouldFireEveryOpenWindowAtTheEndOfBoundedInput() {
        StreamJob job = StreamJob.named("end");
        counts(job, 1000, Windows.hopping(Duration.ofMillis(20), Duration.ofMillis(10)));
        try (JobTestDriver d = JobTestDriver.of(job)) {
            d.input(src).send(new E("a", 15), 0);
            assertThat(d.output(sink)).isEmpty();
            d.endAllInputs();
            assertThat(d.output(sink)).containsExactly(result("a", 0, 20, 1, WindowResult.Kind.FINAL),
                    result("a", 10, 30, 1, WindowResult.Kind.FINAL));
        }
    }

    @Test
    void shouldEmitEarlyUpdatesEveryIntervalOfProcessingTime() {
        StreamJob job = StreamJob.named("early");
        counts(job, 0, Windows.tumbling(Duration.ofMinutes(1)).withEarlyUpdates(Duration.ofSeconds(1)));
        try (JobTestDriver d = JobTestDriver.of(job)) {
            TestInput<E> in = d.input(src);
            in.send(new E("a", 1_000), 0).send(new E("a", 2_000), 0);
            d.advanceProcessingTime(Duration.ofMillis(999));
            assertThat(d.output(sink)).isEmpty();
            d.advanceProcessingTime(Duration.ofMillis(1));
            assertThat(d.output(sink)).containsExactly(result("a", 0, 60_000, 2, WindowResult.Kind.EARLY));
            d.advanceProcessingTime(Duration.ofSeconds(5));
            assertThat(d.output(sink)).hasSize(1); // unchanged: no new early update
            in.send(new E("a", 3_000), 0);
            d.advanceProcessingTime(Duration.ofSeconds(1));
            in.advanceWatermarkTo(60_000);
            assertThat(d.output(sink)).containsExactly(result("a", 0, 60_000, 2, WindowResult.Kind.EARLY),
                    result("a", 0, 60_000, 3, WindowResult.Kind.EARLY), result("a", 0, 60_000, 3, WindowResult.Kind.FINAL));
        }
    }

    @Test
    void shouldRunProcessingTimeWindowsOnTheJobClock() {
        StreamJob job = StreamJob.named("proctime");
        counts(job, 0, Windows.tumbling(Duration.ofSeconds(10)).inProcessingTime());
        try (JobTestDriver d = JobTestDriver.of(job)) {
            TestInput<E> in = d.input(src);
            in.send(new E("a", 999_999), 0);          // event time is ignored
            d.advanceProcessingTime(Duration.ofSeconds(3));
            in.send(new E("a", 1), 0);
            d.advanceProcessingTime(Duration.ofMillis(6_999));
            assertThat(d.output(sink)).isEmpty();
            d.advanceProcessingTime(Duration.ofMillis(1));
            assertThat(d.output(sink)).containsExactly(result("a", 0, 10_000, 2, WindowResult.Kind.FINAL));
        }
    }

    @Test
    void shouldDescribeThePlanWithStableNames() {
        StreamJob job = StreamJob.named("describe");
        job.source(src).withEventTime(E::ts, Duration.ofSeconds(5)).filter(e -> true).keyBy(E::key)
                .window(Windows.tumbling(Duration.ofMinutes(1))).count(StateOptions.named("views-per-url")).to(sink);
        String d = job.describe();
        assertThat(d).contains("source events [event time, out-of-orderness 5000 ms", "filter", "keyBy",
                "tumbling(PT1M).count  name=\"views-per-url\"", "sink out (EXACTLY_ONCE)", "runs as 1 stage x 1 task");
        StreamJob job2 = StreamJob.named("describe2", JobConfig.defaults().withParallelism(2));
        job2.source(src).keyBy(E::key).window(Windows.tumbling(Duration.ofMinutes(1))).count().to(sink);
        assertThat(job2.describe()).contains("name=\"events/keyBy/tumbling(PT1M).count\"", "runs as 2 stages x 2 tasks",
                "exchange by key");
    }
}
