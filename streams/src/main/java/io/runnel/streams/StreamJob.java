package io.runnel.streams;

import io.runnel.streams.connect.Source;
import io.runnel.streams.internal.graph.DeadLettersNode;
import io.runnel.streams.internal.graph.Plan;
import io.runnel.streams.internal.graph.PlanNode;
import io.runnel.streams.internal.graph.SinkNode;
import io.runnel.streams.internal.graph.SourceNode;
import io.runnel.streams.internal.planner.PhysicalPlan;
import io.runnel.streams.internal.runtime.JobRuntime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A stream job: a plan built in code from sources through operators to sinks, then run.
 *
 * <pre>{@code
 * var job = StreamJob.named("web-activity");
 * job.source(pageViews).withEventTime(PageView::ts, Duration.ofSeconds(5))
 *    .keyBy(PageView::url)
 *    .window(Windows.tumbling(Duration.ofMinutes(1)))
 *    .count()
 *    .to(sink);
 * System.out.println(job.describe());
 * job.run();   // bounded sources: to the end; unbounded: until stopped
 * }</pre>
 *
 * Building the plan is single-threaded; a built job can be run several times (each run restores
 * from the state directory, if any).
 */
public final class StreamJob {

    private final String name;
    private final JobConfig config;
    private final List<SinkNode> sinks = new ArrayList<>();
    private int nextId = 1;
    private DeadLettersNode deadLetters;

    private StreamJob(String name, JobConfig config) {
        this.name = name;
        this.config = config;
    }

    /** A new job with {@link JobConfig#defaults()}; {@code name} is stable across restarts (letters, digits, - _ .). */
    public static StreamJob named(String name) {
        return named(name, JobConfig.defaults());
    }

    /** A new job with {@code config}. */
    public static StreamJob named(String name, JobConfig config) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(config, "config");
        if (!name.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("job name must be non-empty and use only letters, digits, '-', '_' and '.', was '"
                    + name + "'");
        }
        return new StreamJob(name, config);
    }

    public String name() {
        return name;
    }

    public JobConfig config() {
        return config;
    }

    /**
     * The records of {@code source}, with the source's own timestamps and no out-of-orderness until
     * {@link SourceStream#withEventTime} says otherwise. Read each source once per job.
     */
    public <T> SourceStream<T> source(Source<T> source) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(source.name(), "source.name()");
        return new SourceStream<>(this, new SourceNode(nextId(), source, TimeStrategy.sourceTime(Duration.ZERO)));
    }

    /**
     * Records that failed under {@link BadDataPolicy#DEAD_LETTER}: undecodable input, throwing user
     * functions, records a sink rejected. Only stateless operators and sinks may follow.
     */
    public EventStream<DeadLetter> deadLetters() {
        if (deadLetters == null) {
            deadLetters = new DeadLettersNode(nextId());
        }
        return new EventStream<>(this, deadLetters);
    }

    /** The plan, one line per operator with its stable name, followed by how it runs (stages and exchanges). */
    public String describe() {
        Plan plan = plan();
        return plan.describe() + PhysicalPlan.of(plan, config.parallelism()).describe();
    }

    /**
     * Runs the job with its config and the JVM's {@code runnel.job.*} system properties applied (see
     * {@link JobConfig}), and waits: a job over bounded sources returns when they are processed; an
     * unbounded one runs until stopped (by the JVM shutting down if {@link JobConfig#stopOnShutdown()}).
     *
     * @throws JobFailedException if the job fails
     */
    public void run() {
        run(config.withOverrides(System.getProperties()));
    }

    /** As {@link #run()}, with {@code runConfig} exactly. */
    public void run(JobConfig runConfig) {
        RunningJob running = start(runConfig);
        Thread hook = null;
        if (runConfig.stopOnShutdown()) {
            hook = runConfig.threadFactory().newThread(running::stop);
            Runtime.getRuntime().addShutdownHook(hook);
        }
        try {
            running.completion().join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof JobFailedException f) {
                throw f;
            }
            throw new JobFailedException("job '" + name + "' failed: " + e.getCause(), e.getCause());
        } finally {
            if (hook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running or has run: nothing to remove
                }
            }
        }
    }

    /** Starts the job with its config and returns at once. */
    public RunningJob start() {
        return start(config);
    }

    /** Starts the job with {@code runConfig} and returns at once. */
    public RunningJob start(JobConfig runConfig) {
        Objects.requireNonNull(runConfig, "runConfig");
        return JobRuntime.start(plan(), runConfig);
    }

    int nextId() {
        return nextId++;
    }

    void addSink(SinkNode sink) {
        sinks.add(sink);
    }

    Plan plan() {
        List<PlanNode> roots = new ArrayList<>(sinks);
        return Plan.of(name, roots);
    }
}
