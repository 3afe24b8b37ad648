package io.runnel.streams;

import io.runnel.streams.connect.Sink;
import io.runnel.streams.connect.Source;
import io.runnel.streams.connect.SourceSplit;
import io.runnel.streams.internal.checkpoint.CheckpointStorage;
import io.runnel.streams.internal.graph.Plan;
import io.runnel.streams.internal.graph.PlanNode;
import io.runnel.streams.internal.graph.SinkNode;
import io.runnel.streams.internal.graph.SourceNode;
import io.runnel.streams.internal.planner.PhysicalPlan;
import io.runnel.streams.internal.runtime.CaptureOperator;
import io.runnel.streams.internal.runtime.Collector;
import io.runnel.streams.internal.runtime.JobMetricsRegistry;
import io.runnel.streams.internal.runtime.ManualClock;
import io.runnel.streams.internal.runtime.Operator;
import io.runnel.streams.internal.runtime.SourceOperator;
import io.runnel.streams.internal.runtime.TaskContext;
import io.runnel.streams.internal.runtime.TaskGraph;
import io.runnel.streams.internal.runtime.TaskGraphBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs a job deterministically in the calling thread, for unit tests: no threads, no disk, no real
 * sources or sinks. Feed each source through {@link #input}, with explicit timestamps; watermarks
 * follow each source's time strategy after every record and can be raised explicitly; processing
 * time starts at 0 and moves only with {@link #advanceProcessingTime}. Read what reached each sink
 * with {@link #output}, late events with {@link #lateEvents}, failures with {@link #deadLetters()}.
 *
 * <pre>{@code
 * try (var driver = JobTestDriver.of(job)) {
 *     driver.input(clicks).send(new Click("u1", "/a"), 1_000).send(new Click("u1", "/b"), 61_000);
 *     driver.endAllInputs();
 *     assertThat(driver.output(sink)).containsExactly(...);
 * }
 * }</pre>
 *
 * The job runs as one task with the same operators as in production; checkpoints are not taken,
 * and sources and sinks are never opened: records reaching a sink are captured instead (so a sink's
 * own rejections do not apply). With a config that sets {@link JobConfig#withStateMemoryLimit} (and
 * {@link JobConfig#withStateDir}), keyed state lives in files there as in production. Not thread-safe.
 */
public final class JobTestDriver implements AutoCloseable {

    private final Plan plan;
    private final ManualClock clock = new ManualClock(0);
    private final TaskContext ctx;
    private final TaskGraph graph;
    private final Map<String, List<Object>> sinkOutputs = new LinkedHashMap<>();
    private final Map<PlanNode, List<List<Object>>> lateOutputs = new IdentityHashMap<>();
    private final List<DeadLetter> deadLetters = new ArrayList<>();
    private final Map<String, TestInput<?>> inputs = new LinkedHashMap<>();
    private final JobMetricsRegistry metrics;
    private String currentInput = "?";
    private long recordNumber;

    private JobTestDriver(StreamJob job, JobConfig config) {
        this.plan = job.plan();
        PhysicalPlan physical = PhysicalPlan.of(plan, 1);
        ctx = new TaskContext(plan.jobName(), 0, 0, 1, clock, config.badDataPolicy());
        if (config.stateMemoryLimitEntries() > 0) {
            if (config.stateDir() == null) {
                throw new IllegalArgumentException("the config keeps state on disk (withStateMemoryLimit) but has no state directory: "
                        + "set JobConfig.withStateDir(...)");
            }
            ctx.setStateStore(new CheckpointStorage(config.stateDir(), (step, id) -> { }), config.stateMemoryLimitEntries());
        }
        graph = TaskGraphBuilder.build(physical, 0, ctx, new TaskGraphBuilder.Hooks() {
            @Override
            public Operator sink(SinkNode node, String name, boolean deadLetterChain) {
                List<Object> out = new ArrayList<>();
                sinkOutputs.put(node.sink().name(), out);
                return new CaptureOperator(name, out);
            }

            @Override
            public Collector exchange(PhysicalPlan.Edge edge) {
                throw new IllegalStateException("one task has no exchanges");
            }

            @Override
            public Collector sideTap(PlanNode node, int side) {
                List<List<Object>> sides = lateOutputs.computeIfAbsent(node, k -> new ArrayList<>());
                while (sides.size() <= side) {
                    sides.add(new ArrayList<>());
                }
                return capture(sides.get(side));
            }

            @Override
            public Collector deadLetterTap() {
                return capture(deadLetters);
            }
        });
        metrics = new JobMetricsRegistry(plan.jobName(), clock, () -> new JobMetricsRegistry.CheckpointStats(0, 0, 0, 0));
        metrics.add(graph);
        for (Map.Entry<SourceNode, SourceOperator> e : graph.sources.entrySet()) {
            String name = e.getKey().source().name();
            SourceOperator.Split split = e.getValue().addSplit(new SourceSplit("test", new byte[0]), false);
            inputs.put(name, new TestInput<>(this, name, split));
        }
        ctx.setPosition(() -> "input '" + currentInput + "' record #" + recordNumber);
        graph.open();
    }

    /** A driver for {@code job} with its own config's bad-data policy. */
    public static JobTestDriver of(StreamJob job) {
        return of(job, job.config());
    }

    /** A driver for {@code job} using {@code config}'s bad-data policy and state on disk (other settings do not apply). */
    public static JobTestDriver of(StreamJob job, JobConfig config) {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(config, "config");
        return new JobTestDriver(job, config);
    }

    private static Collector capture(List<?> list) {
        @SuppressWarnings("unchecked") // the lists hold whatever the stream carries
        List<Object> target = (List<Object>) list;
        return new Collector() {
            @Override public void record(Object value, long timestampMs) { target.add(value); }
            @Override public void watermark(long watermarkMs) { }
            @Override public void idle(boolean idle) { }
        };
    }

    /** The input of {@code source} (the object given to {@code job.source(...)}). */
    @SuppressWarnings("unchecked") // the input was created for this source's record type
    public <T> TestInput<T> input(Source<T> source) {
        return (TestInput<T>) input(Objects.requireNonNull(source, "source").name());
    }

    /** The input of the source named {@code sourceName}, for records of {@code type}. */
    @SuppressWarnings("unchecked") // the caller states the source's record type
    public <T> TestInput<T> input(String sourceName, Class<T> type) {
        Objects.requireNonNull(type, "type");
        return (TestInput<T>) input(sourceName);
    }

    /** The input of the source named {@code sourceName}. */
    public TestInput<?> input(String sourceName) {
        TestInput<?> in = inputs.get(sourceName);
        if (in == null) {
            throw new IllegalArgumentException("the job reads no source named '" + sourceName + "'; its sources: " + inputs.keySet());
        }
        return in;
    }

    /** Ends every input: all watermarks go to +infinity, so every open window fires. */
    public void endAllInputs() {
        for (TestInput<?> in : inputs.values()) {
            in.end();
        }
    }

    /** The driver's processing time (the job clock), epoch ms; starts at 0. */
    public long processingTimeMs() {
        return clock.millis();
    }

    /** Moves processing time forward by {@code d} and runs what became due (processing-time windows, timers, early updates). */
    public void advanceProcessingTime(Duration d) {
        Objects.requireNonNull(d, "d");
        if (d.isNegative()) {
            throw new IllegalArgumentException("processing time cannot go back: " + d);
        }
        clock.set(clock.millis() + d.toMillis());
        afterAction();
    }

    /** What reached {@code sink} so far, in order. */
    @SuppressWarnings("unchecked") // the sink accepts T
    public <T> List<T> output(Sink<T> sink) {
        return (List<T>) output(Objects.requireNonNull(sink, "sink").name());
    }

    /** What reached the sink named {@code sinkName} so far, in order. */
    public List<?> output(String sinkName) {
        List<Object> out = sinkOutputs.get(sinkName);
        if (out == null) {
            throw new IllegalArgumentException("the job has no sink named '" + sinkName + "'; its sinks: " + sinkOutputs.keySet());
        }
        return Collections.unmodifiableList(new ArrayList<>(out));
    }

    /** What reached {@code sink} since the last call, then forgets it. */
    public <T> List<T> drain(Sink<T> sink) {
        List<T> out = output(sink);
        sinkOutputs.get(sink.name()).clear();
        return out;
    }

    /** The late events of a windowed aggregation so far (whether or not the job routes them anywhere). */
    @SuppressWarnings("unchecked") // late events are of the aggregation's input type
    public <T> List<T> lateEvents(AggregatedStream<?, T, ?> stream) {
        return (List<T>) side(stream.node, 0);
    }

    /** The late left events of a stream-stream join so far. */
    @SuppressWarnings("unchecked") // late left events are of the left input type
    public <L> List<L> lateLeftEvents(JoinedStream<L, ?, ?> stream) {
        return (List<L>) side(stream.node, 0);
    }

    /** The late right events of a stream-stream join so far. */
    @SuppressWarnings("unchecked") // late right events are of the right input type
    public <R> List<R> lateRightEvents(JoinedStream<?, R, ?> stream) {
        return (List<R>) side(stream.node, 1);
    }

    private List<Object> side(PlanNode node, int side) {
        List<List<Object>> sides = lateOutputs.get(node);
        if (sides == null) {
            throw new IllegalArgumentException("that stream is not part of this job's plan (is it connected to a sink?)");
        }
        return Collections.unmodifiableList(new ArrayList<>(sides.get(side)));
    }

    /** Records that failed under {@link BadDataPolicy#DEAD_LETTER}, in order. */
    public List<DeadLetter> deadLetters() {
        return Collections.unmodifiableList(new ArrayList<>(deadLetters));
    }

    /** Operator counters, as a running job reports them. */
    public JobMetrics metrics() {
        graph.publishCounters();
        return metrics.snapshot();
    }

    /** The plan as {@link StreamJob#describe()} shows it. */
    public String describe() {
        return plan.describe();
    }

    void beforeSend(String input) {
        currentInput = input;
        recordNumber++;
    }

    void afterAction() {
        ctx.processingTime.fireDue(clock.millis());
    }

    @Override
    public void close() {
        try {
            graph.close();
        } finally {
            ctx.closeStateStore();
        }
    }
}
