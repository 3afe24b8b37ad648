package io.runnel.benchmarks.runnel;

import io.runnel.benchmarks.BenchContext;
import io.runnel.benchmarks.BenchResult;
import io.runnel.benchmarks.CheckFailedException;
import io.runnel.benchmarks.Progress;
import io.runnel.benchmarks.data.PageView;
import io.runnel.benchmarks.data.SessionCounts;
import io.runnel.benchmarks.data.WindowCounts;
import io.runnel.benchmarks.scenario.StreamWorkload;
import io.runnel.streams.JobConfig;
import io.runnel.streams.SourceStream;
import io.runnel.streams.StreamJob;
import io.runnel.streams.WindowResult;
import io.runnel.streams.Windows;
import io.runnel.streams.connect.Source;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The stream workloads as Runnel jobs ({@code system=runnel}): the same page views, windows and
 * checks as the anchors, at parallelism 1 and 2, into a no-op sink that only feeds the check.
 * The events come from an {@link Input}: generated in memory ({@code memory-p<n>} variants) or
 * read from a Runnel log topic with the product's {@code LogSource} ({@code log-p<n>}). Late events
 * go to a counting sink and must be none. Jobs run without a state directory, as the Flink jobs
 * run without checkpointing. Time is wall time from building the job to its end;
 * {@code processing_s} is the time from the first poll of the source to the end.
 */
public final class RunnelStreamsBench {

    public static final String SYSTEM = "runnel";
    /** Splits of the in-memory source: as many as the log topics have partitions. */
    static final int SPLITS = PageViewTopics.PARTITIONS;

    private final BenchContext context;
    private final StreamWorkload workload;

    public RunnelStreamsBench(BenchContext context, StreamWorkload workload) {
        this.context = context;
        this.workload = workload;
    }

    /**
     * Where a run's page views come from.
     *
     * @param name {@code memory} or {@code log}: the variant's prefix and its {@code source=} field
     * @param events how many events (the first ones of the generator)
     * @param source makes a fresh source for each run
     */
    public record Input(String name, long events, Supplier<Source<PageView>> source) {}

    /** Events {@code 0 .. events-1} generated on the fly by an in-memory source of 6 splits. */
    public Input memory(long events) {
        return new Input("memory", events, () -> new PageViewSource(workload.spec(), events, SPLITS));
    }

    /** The {@code events} page views that {@code topic} of {@code topics} holds, read by a bounded log source. */
    public Input logTopic(PageViewTopics topics, String topic, long events) {
        return new Input("log", events, () -> topics.source(topic));
    }

    /** Tumbling 1-minute count by url of the non-bot views of {@code input}. */
    public void window(Input input, int parallelism, boolean measured) {
        long events = input.events();
        WindowCounts counts = new WindowCounts();
        Timing timing = run("window", input, parallelism, (views, late) -> {
            var windowed = views.filter(v -> !v.bot())
                    .keyBy(PageView::url)
                    .window(Windows.tumbling(StreamWorkload.WINDOW))
                    .count();
            windowed.to(new SummarySink<WindowResult<String, Long>>("url-counts",
                    r -> counts.add(checkedFinal(r).windowStartMs(), r.key(), r.value())));
            windowed.lateEvents().to(new SummarySink<PageView>("late", v -> late.incrementAndGet()));
        });
        counts.verify(workload.expectedWindowCounts(events));
        report(measured, input, parallelism, timing);
    }

    /** Per-user sessions (30-minute gap) of all views of {@code input}. */
    public void session(Input input, int parallelism, boolean measured) {
        long events = input.events();
        SessionCounts sessions = new SessionCounts();
        long gapMs = StreamWorkload.SESSION_GAP.toMillis();
        Timing timing = run("session", input, parallelism, (views, late) -> {
            var windowed = views.keyBy(PageView::user)
                    .window(Windows.session(StreamWorkload.SESSION_GAP))
                    .count();
            // A session's window ends at its last event's time plus the gap.
            windowed.to(new SummarySink<WindowResult<String, Long>>("sessions",
                    r -> sessions.add(r.key(), checkedFinal(r).windowStartMs(), r.windowEndMs() - gapMs, r.value())));
            windowed.lateEvents().to(new SummarySink<PageView>("late", v -> late.incrementAndGet()));
        });
        sessions.verify(workload.expectedSessions(events));
        report(measured, input, parallelism, timing);
    }

    private static <K, V> WindowResult<K, V> checkedFinal(WindowResult<K, V> result) {
        if (!result.isFinal()) {
            throw new CheckFailedException("a " + result.kind() + " result where only final ones were expected: " + result);
        }
        return result;
    }

    /** When a run started, saw its first event and ended (System.nanoTime). */
    private record Timing(long start, long firstEvent, long end) {}

    private Timing run(String kind, Input input, int parallelism, BiConsumer<SourceStream<PageView>, AtomicLong> pipeline) {
        AtomicLong late = new AtomicLong();
        AtomicLong firstEvent = new AtomicLong();
        long start = System.nanoTime();
        StreamJob job = StreamJob.named("bench-" + kind);
        Source<PageView> source = new FirstPollSource<>(input.source().get(), firstEvent);
        SourceStream<PageView> views = job.source(source)
                .withEventTime(PageView::timestampMs, workload.spec().maxOutOfOrderness());
        pipeline.accept(views, late);
        job.run(JobConfig.defaults()
                .withParallelism(parallelism)
                .withJmx(false)
                .withMetricsLogInterval(Duration.ofDays(1))
                .withStopOnShutdown(false));
        long end = System.nanoTime();
        if (late.get() != 0) {
            throw new CheckFailedException(late.get() + " events were late (the out-of-orderness bound holds)");
        }
        return new Timing(start, firstEvent.get(), end);
    }

    private void report(boolean measured, Input input, int parallelism, Timing timing) {
        if (!measured) {
            Progress.say("runnel warm-up (%s) done in %.1f s", input.name(), (timing.end() - timing.start()) / 1e9);
            return;
        }
        context.report(BenchResult.of(workload.scenario(), SYSTEM, input.name() + "-p" + parallelism)
                .config("parallelism", parallelism)
                .config("source", input.name())
                .measured(input.events(), (timing.end() - timing.start()) / 1e9)
                .extra("processing_s", String.format(Locale.ROOT, "%.3f", (timing.end() - timing.firstEvent()) / 1e9))
                .build());
    }
}
