package io.runnel.benchmarks.flink;

import io.runnel.benchmarks.BenchContext;
import io.runnel.benchmarks.BenchResult;
import io.runnel.benchmarks.Progress;
import io.runnel.benchmarks.data.PageView;
import io.runnel.benchmarks.scenario.StreamWorkload;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.windowing.assigners.EventTimeSessionWindows;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;

/**
 * The stream workloads in Apache Flink's local environment ({@code system=flink}): an in-memory
 * source generating the page views, bounded out-of-orderness watermarks, and the windowed count
 * or session count into a no-op sink that only feeds the check. Every server Flink starts binds
 * to 127.0.0.1. Time is wall time including the start-up of the local cluster; the time from the
 * first event to the end is printed as {@code processing_s}.
 */
public final class FlinkBench {

    public static final String SYSTEM = "flink";

    private final BenchContext context;
    private final StreamWorkload workload;

    public FlinkBench(BenchContext context, StreamWorkload workload) {
        this.context = context;
        this.workload = workload;
    }

    /** Tumbling 1-minute count by url of the non-bot views among {@code events}. */
    public void window(long events, int parallelism, boolean measured) throws Exception {
        run(events, parallelism, measured, (views, id) -> views
                .filter(new FlinkFunctions.NotBot())
                .keyBy(new FlinkFunctions.ByUrl())
                .window(TumblingEventTimeWindows.of(StreamWorkload.WINDOW))
                .aggregate(new FlinkFunctions.Count(), new FlinkFunctions.EmitUrlCount())
                .sinkTo(new FlinkFunctions.SummarySink<>(id, FlinkFunctions::addUrlCount)),
                run -> run.windowCounts.verify(workload.expectedWindowCounts(events)));
    }

    /** Per-user sessions (30-minute gap) of all views among {@code events}. */
    public void session(long events, int parallelism, boolean measured) throws Exception {
        run(events, parallelism, measured, (views, id) -> views
                .keyBy(new FlinkFunctions.ByUser())
                // Flink starts a new session when the next event is gap or more later; the
                // workload's sessions (DESIGN.md section 6) keep an event exactly gap later.
                // One more millisecond of gap makes the two agree on millisecond timestamps.
                .window(EventTimeSessionWindows.withGap(StreamWorkload.SESSION_GAP.plusMillis(1)))
                .aggregate(new FlinkFunctions.SessionAggregate(), new FlinkFunctions.EmitSession())
                .sinkTo(new FlinkFunctions.SummarySink<>(id, FlinkFunctions::addSession)),
                run -> run.sessions.verify(workload.expectedSessions(events)));
    }

    /** Builds the job's operators after the source, given the run id. */
    private interface Pipeline {
        void build(DataStream<PageView> views, String runId);
    }

    private void run(long events, int parallelism, boolean measured, Pipeline pipeline, Consumer<FlinkRuns.Run> check)
            throws Exception {
        String id = FlinkRuns.open();
        try {
            long start = System.nanoTime();
            StreamExecutionEnvironment env = environment(parallelism);
            pipeline.build(source(env, events, id), id);
            env.execute(workload.scenario() + "-p" + parallelism);
            long end = System.nanoTime();
            FlinkRuns.Run run = FlinkRuns.get(id);
            check.accept(run);
            report(measured, events, parallelism, start, run.firstEventNanos.get(), end);
        } finally {
            FlinkRuns.close(id);
        }
    }

    private DataStream<PageView> source(StreamExecutionEnvironment env, long events, String id) {
        Duration bound = workload.spec().maxOutOfOrderness();
        return env.fromSequence(0, events - 1)
                .map(new FlinkFunctions.Generate(workload.spec(), id))
                .assignTimestampsAndWatermarks(WatermarkStrategy.<PageView>forBoundedOutOfOrderness(bound)
                        .withTimestampAssigner((view, previous) -> view.timestampMs()));
    }

    private static StreamExecutionEnvironment environment(int parallelism) {
        Configuration conf = new Configuration();
        // Loopback only: by default some of Flink's servers bind to every interface.
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.BIND_PORT, "0");
        conf.set(JobManagerOptions.ADDRESS, "127.0.0.1");
        conf.set(JobManagerOptions.BIND_HOST, "127.0.0.1");
        conf.set(TaskManagerOptions.HOST, "127.0.0.1");
        conf.set(TaskManagerOptions.BIND_HOST, "127.0.0.1");
        return StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
    }

    private void report(boolean measured, long events, int parallelism, long start, long firstEvent, long end) {
        double seconds = (end - start) / 1e9;
        if (!measured) {
            Progress.say("flink warm-up done in %.1f s", seconds);
            return;
        }
        context.report(BenchResult.of(workload.scenario(), SYSTEM, "p" + parallelism)
                .config("parallelism", parallelism)
                .measured(events, seconds)
                .extra("processing_s", String.format(Locale.ROOT, "%.3f", (end - firstEvent) / 1e9))
                .build());
    }
}
