package io.runnel.streams.internal.runtime;

import io.runnel.streams.BadDataPolicy;
import io.runnel.streams.JobConfig;
import io.runnel.streams.JobFailedException;
import io.runnel.streams.JobMetrics;
import io.runnel.streams.OperatorMetrics;
import io.runnel.streams.RunningJob;
import io.runnel.streams.StreamsException;
import io.runnel.streams.connect.Sink;
import io.runnel.streams.connect.SinkContext;
import io.runnel.streams.connect.SinkWriter;
import io.runnel.streams.connect.Source;
import io.runnel.streams.connect.SourceContext;
import io.runnel.streams.connect.SourceReader;
import io.runnel.streams.connect.SourceSplit;
import io.runnel.streams.internal.checkpoint.CheckpointManifest;
import io.runnel.streams.internal.checkpoint.CheckpointManifest.Committable;
import io.runnel.streams.internal.checkpoint.CheckpointManifest.SplitPosition;
import io.runnel.streams.internal.checkpoint.CheckpointManifest.StateRef;
import io.runnel.streams.internal.checkpoint.CheckpointStorage;
import io.runnel.streams.internal.exchange.Exchange;
import io.runnel.streams.internal.exchange.ExchangeWriter;
import io.runnel.streams.internal.graph.DeadLettersNode;
import io.runnel.streams.internal.graph.Plan;
import io.runnel.streams.internal.graph.PlanNode;
import io.runnel.streams.internal.graph.SinkNode;
import io.runnel.streams.internal.graph.SourceNode;
import io.runnel.streams.internal.planner.PhysicalPlan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running job: its tasks (one thread each, from the configured thread factory), the exchanges
 * between them, the checkpoint coordinator (one more thread) and up to four snapshot writer threads
 * that force the files of the tasks' snapshots while the tasks go on. The coordinator triggers aligned
 * checkpoints at the interval, collects the tasks' snapshots (each acknowledged once its files are
 * durable), writes the manifest atomically, then tells the tasks to commit their sinks; when every task's input ended (bounded sources) or on
 * {@link #stop()} it takes a final checkpoint and shuts the tasks down.
 */
public final class JobRuntime implements RunningJob {

    private static final Logger LOG = LoggerFactory.getLogger(JobRuntime.class);

    private record Ack(TaskSnapshot snapshot) {
    }

    private record Ended(Task task) {
    }

    private record Failed(Task task, Throwable error) {
    }

    private record Done(Task task) {
    }

    private static final Object STOP = new Object();
    private static final int SNAPSHOT_WRITERS = 4;
    private static final Object CANCEL = new Object();

    private final Plan plan;
    private final JobConfig config;
    private final PhysicalPlan physical;
    private final CheckpointStorage storage;
    private final CheckpointManifest restored;
    private final List<Task> tasks = new ArrayList<>();
    private final LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final CompletableFuture<Void> completion = new CompletableFuture<>();
    private final Map<Task, Integer> stageOf = new HashMap<>();
    private final JobMetricsRegistry metricsRegistry;
    private volatile boolean cancelled;
    private ExecutorService snapshotWriter;
    private volatile JobMetricsRegistry.CheckpointStats lastCheckpoint = new JobMetricsRegistry.CheckpointStats(0, 0, 0, 0);
    private Path tempSinkDir;

    private JobRuntime(Plan plan, JobConfig config) {
        this.plan = plan;
        this.config = config;
        this.physical = PhysicalPlan.of(plan, config.parallelism());
        if (config.stateMemoryLimitEntries() > 0 && config.stateDir() == null) {
            throw new StreamsException("job '" + plan.jobName() + "' keeps state on disk (JobConfig.withStateMemoryLimit("
                    + config.stateMemoryLimitEntries() + ")) but has no state directory: set JobConfig.withStateDir(...)");
        }
        this.storage = config.stateDir() == null ? null : new CheckpointStorage(config.stateDir(), crashHookFromSystemProperty());
        CheckpointManifest m = storage == null ? null : storage.loadLatest().orElse(null);
        if (m != null && !m.jobName().equals(plan.jobName())) {
            throw new StreamsException("state directory " + config.stateDir() + " holds checkpoints of job '" + m.jobName()
                    + "', not '" + plan.jobName() + "'; give each job its own state directory");
        }
        if (storage != null && m == null) {
            if (!storage.manifestIds().isEmpty()) {
                // starting from scratch would replay everything into the sinks again: refuse
                throw new StreamsException("state directory " + config.stateDir() + " has checkpoints " + storage.manifestIds()
                        + " but none is complete (see the warnings above); restore the directory from a backup, or move it "
                        + "away to start the job from scratch");
            }
            storage.cleanupAfterRestore(0); // leftovers of a first checkpoint that never completed
        }
        if (m != null) {
            storage.cleanupAfterRestore(m.id());
            LOG.info("job '{}' restores checkpoint {} (taken with parallelism {}, now {})", plan.jobName(), m.id(),
                    m.parallelism(), config.parallelism());
            for (String op : m.state().keySet()) {
                if (plan.nodes().stream().noneMatch(n -> op.equals(plan.name(n)))) {
                    LOG.warn("checkpoint {} has state of operator '{}', which the job no longer has; it is ignored", m.id(), op);
                }
            }
        }
        this.restored = m;
        this.metricsRegistry = new JobMetricsRegistry(plan.jobName(), config.clock(), this::checkpointStats);
    }

    /** Builds, restores and starts a job. */
    public static RunningJob start(Plan plan, JobConfig config) {
        JobRuntime rt = new JobRuntime(plan, config);
        rt.build();
        rt.launch();
        return rt;
    }

    private void build() {
        int p = config.parallelism();
        if (config.badDataPolicy() == BadDataPolicy.DEAD_LETTER && plan.nodes().stream().noneMatch(n -> n instanceof DeadLettersNode)) {
            LOG.warn("job '{}' dead-letters bad records but does not route deadLetters() anywhere: they will only be counted",
                    plan.jobName());
        }
        List<Exchange> exchanges = new ArrayList<>();
        for (PhysicalPlan.Edge e : physical.edges()) {
            exchanges.add(new Exchange(p, config.exchangeCapacity(), config.exchangeBatchSize(), e.keyed()));
        }
        Map<SourceNode, List<SplitPosition>> splits = splitsToRead();
        Map<String, List<Integer>> sinkTasks = new LinkedHashMap<>();
        for (PhysicalPlan.Stage stage : physical.stages()) {
            for (int t = 0; t < p; t++) {
                TaskContext ctx = new TaskContext(plan.jobName(), stage.index(), t, p, config.clock(), config.badDataPolicy());
                ctx.setStateStore(storage, config.stateMemoryLimitEntries());
                List<ExchangeWriter> writers = new ArrayList<>();
                TaskGraph graph = TaskGraphBuilder.build(physical, stage.index(), ctx, new TaskGraphBuilder.Hooks() {
                    @Override
                    public Operator sink(SinkNode node, String name, boolean deadLetterChain) {
                        return openSink(node, ctx, deadLetterChain);
                    }

                    @Override
                    public Collector exchange(PhysicalPlan.Edge edge) {
                        ExchangeWriter w = new ExchangeWriter(exchanges.get(edge.id()), ctx.task, config.exchangeBatchSize(),
                                ctx.keys, () -> cancelled);
                        writers.add(w);
                        return w;
                    }
                });
                if (stage.index() == 0) {
                    assignSplits(graph, splits, t, p);
                }
                for (SinkOperator s : graph.sinks) {
                    sinkTasks.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(tasks.size());
                }
                List<Exchange> in = new ArrayList<>();
                List<Integer> inIds = new ArrayList<>();
                for (PhysicalPlan.Edge e : stage.inputs()) {
                    in.add(exchanges.get(e.id()));
                    inIds.add(e.id());
                }
                Task task = new Task(this, ctx, graph, writers, in, inIds, new HashMap<>(), config.pollBatchSize());
                tasks.add(task);
                stageOf.put(task, stage.index());
                metricsRegistry.add(graph);
            }
        }
        assignRestoredCommittables(sinkTasks);
    }

    private Map<SourceNode, List<SplitPosition>> splitsToRead() {
        Map<SourceNode, List<SplitPosition>> out = new LinkedHashMap<>();
        for (PlanNode n : plan.nodes()) {
            if (n instanceof SourceNode s) {
                List<SplitPosition> restoredSplits = restored == null ? null : restored.sources().get(s.source().name());
                if (restoredSplits != null) {
                    out.put(s, restoredSplits);
                } else {
                    List<SplitPosition> fresh = new ArrayList<>();
                    for (SourceSplit split : s.source().splits()) {
                        fresh.add(new SplitPosition(split.id(), split.position(), false));
                    }
                    out.put(s, fresh);
                }
            }
        }
        return out;
    }

    private static void assignSplits(TaskGraph graph, Map<SourceNode, List<SplitPosition>> splits, int task, int p) {
        int offset = 0;
        for (Map.Entry<SourceNode, List<SplitPosition>> e : splits.entrySet()) {
            SourceOperator op = graph.sources.get(e.getKey());
            List<SplitPosition> list = e.getValue();
            for (int i = 0; i < list.size(); i++) {
                if ((i + offset) % p == task) {
                    SplitPosition sp = list.get(i);
                    op.addSplit(new SourceSplit(sp.splitId(), sp.position()), sp.ended());
                }
            }
            offset += list.size();
        }
    }

    private void assignRestoredCommittables(Map<String, List<Integer>> sinkTasks) {
        if (restored == null) {
            return;
        }
        for (Map.Entry<String, List<Committable>> e : restored.sinks().entrySet()) {
            List<Integer> owners = sinkTasks.get(e.getKey());
            if (owners == null) {
                LOG.warn("checkpoint {} has uncommitted output of sink '{}', which the job no longer has; it is not published",
                        restored.id(), e.getKey());
                continue;
            }
            List<Committable> cs = new ArrayList<>(e.getValue());
            cs.sort((a, b) -> Integer.compare(a.task(), b.task()));
            for (int i = 0; i < cs.size(); i++) {
                Task t = tasks.get(owners.get(i % owners.size()));
                t.restoredCommittables().computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(cs.get(i).bytes());
            }
        }
    }

    @SuppressWarnings("unchecked") // a sink accepts the records of the stream it was attached to
    private Operator openSink(SinkNode node, TaskContext ctx, boolean deadLetterChain) {
        Sink<Object> sink = (Sink<Object>) node.sink();
        Path dir = storage != null ? storage.sinkDir(sink.name(), ctx.globalTask) : tempSinkDir(sink.name(), ctx.globalTask);
        SinkWriter<Object> writer = sink.open(new SinkContext(plan.jobName(), sink.name(), ctx.globalTask,
                physical.stages().size() * config.parallelism(), dir));
        return new SinkOperator(plan.name(node), writer, deadLetterChain);
    }

    private synchronized Path tempSinkDir(String sink, int task) {
        try {
            if (tempSinkDir == null) {
                tempSinkDir = Files.createTempDirectory("runnel-" + plan.jobName() + "-");
            }
            Path p = tempSinkDir.resolve(sink.replaceAll("[^A-Za-z0-9_.-]", "_")).resolve(Integer.toString(task));
            Files.createDirectories(p);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked") // a reader of the source's record type
    SourceReader<Object> openReader(SourceOperator op, SourceOperator.Split split, TaskContext ctx) {
        Source<Object> source = null;
        for (PlanNode n : plan.nodes()) {
            if (n instanceof SourceNode s && s.source().name().equals(op.sourceName())) {
                source = (Source<Object>) s.source();
            }
        }
        if (source == null) {
            throw new IllegalStateException("no source " + op.sourceName());
        }
        return source.open(split.split, new SourceContext(plan.jobName(), source.name(), ctx.task, ctx.parallelism));
    }

    private void launch() {
        metricsRegistry.registerJmx(config.jmx());
        // a plain pool (Executors.newSingleThreadExecutor's wrapper has a finalizer, which would keep
        // the job and its state reachable until finalization) whose factory does not capture the job
        ThreadFactory factory = config.threadFactory();
        String threadName = "runnel-" + plan.jobName() + "-snapshots";
        // a few threads: forcing files waits on the disk, and one task's many key-group files must not
        // hold up the others'
        int writers = Math.min(SNAPSHOT_WRITERS, tasks.size());
        snapshotWriter = new ThreadPoolExecutor(writers, writers, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread th = factory.newThread(r);
            th.setName(threadName);
            th.setDaemon(true);
            return th;
        });
        for (Task t : tasks) {
            Thread th = config.threadFactory().newThread(t);
            th.setName("runnel-" + plan.jobName() + "-s" + t.ctx.stage + "-t" + t.ctx.task);
            th.start();
        }
        Thread coordinator = config.threadFactory().newThread(this::coordinate);
        coordinator.setName("runnel-" + plan.jobName() + "-coordinator");
        coordinator.start();
    }

    // ---- called by tasks ----

    boolean isCancelled() {
        return cancelled;
    }

    CheckpointStorage storage() {
        return storage;
    }

    CheckpointManifest restoredManifest() {
        return restored;
    }

    long restoredCheckpointId() {
        return restored == null ? 0 : restored.id();
    }

    /**
     * Runs {@code makeDurable} (force a task's snapshot files, then acknowledge) off the task thread;
     * a failure fails the task.
     */
    void whenDurable(Task t, Runnable makeDurable) {
        snapshotWriter.execute(() -> {
            try {
                makeDurable.run();
            } catch (Throwable e) {
                if (!cancelled) {
                    t.snapshotFailed(e);
                }
            }
        });
    }

    void acknowledge(TaskSnapshot s) {
        inbox.add(new Ack(s));
    }

    void taskEnded(Task t) {
        inbox.add(new Ended(t));
    }

    void taskFailed(Task t, Throwable e) {
        inbox.add(new Failed(t, e));
    }

    void taskDone(Task t) {
        inbox.add(new Done(t));
    }

    // ---- the coordinator ----

    private static final class Pending {
        final long id;
        final boolean stop;
        final long startedMs;
        final List<TaskSnapshot> acks = new ArrayList<>();

        Pending(long id, boolean stop, long startedMs) {
            this.id = id;
            this.stop = stop;
            this.startedMs = startedMs;
        }
    }

    private void coordinate() {
        long intervalMs = config.checkpointInterval().toMillis();
        long metricsMs = config.metricsLogInterval().toMillis();
        long now = config.clock().millis();
        long nextCheckpoint = now + intervalMs;
        long nextMetrics = metricsMs > 0 ? now + metricsMs : Long.MAX_VALUE;
        long nextId = restored == null ? 1 : restored.id() + 1;
        Pending pending = null;
        boolean stopping = false;
        boolean stopRequested = false;
        int ended = 0;
        int done = 0;
        Throwable failure = null;
        boolean shuttingDown = false;
        try {
            while (done < tasks.size()) {
                long wait = Math.max(1, Math.min(Math.min(nextCheckpoint, nextMetrics) - config.clock().millis(), 100));
                Object msg = inbox.poll(wait, TimeUnit.MILLISECONDS);
                while (msg != null) {
                    if (msg instanceof Ack a && pending != null && a.snapshot().checkpointId() == pending.id) {
                        pending.acks.add(a.snapshot());
                        if (pending.acks.size() == tasks.size()) {
                            complete(pending);
                            boolean wasStop = pending.stop;
                            pending = null;
                            if (wasStop) {
                                shuttingDown = true;
                                broadcast(Task.SHUTDOWN);
                            }
                        }
                    } else if (msg instanceof Ended) {
                        ended++;
                        if (ended == tasks.size()) {
                            stopRequested = true;
                        }
                    } else if (msg == STOP) {
                        stopRequested = true;
                    } else if (msg == CANCEL) {
                        if (!shuttingDown) {
                            shuttingDown = true;
                            cancelled = true;
                        }
                    } else if (msg instanceof Failed f) {
                        if (failure == null) {
                            failure = f.error();
                            LOG.error("job '{}' failed in task {} of stage {}: {}", plan.jobName(), f.task().ctx.task,
                                    f.task().ctx.stage, f.error().toString());
                        }
                        cancelled = true;
                        shuttingDown = true;
                        done++;
                    } else if (msg instanceof Done) {
                        done++;
                    }
                    msg = inbox.poll();
                }
                now = config.clock().millis();
                if (!shuttingDown && pending == null && stopRequested && !stopping) {
                    stopping = true;
                    pending = trigger(nextId++, true, now);
                } else if (!shuttingDown && pending == null && !stopping && now >= nextCheckpoint) {
                    pending = trigger(nextId++, false, now);
                    nextCheckpoint = now + intervalMs;
                }
                if (now >= nextMetrics) {
                    metricsRegistry.log();
                    nextMetrics = now + metricsMs;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancelled = true;
            failure = e;
        } catch (RuntimeException | Error e) {
            cancelled = true;
            failure = e;
            LOG.error("checkpoint coordinator of job '{}' failed", plan.jobName(), e);
            awaitTasks();
        }
        metricsRegistry.unregisterJmx();
        snapshotWriter.shutdownNow();
        deleteTempSinkDir();
        if (failure != null) {
            completion.completeExceptionally(failure instanceof JobFailedException ? failure
                    : new JobFailedException("job '" + plan.jobName() + "' failed: " + failure, failure));
        } else {
            LOG.info("job '{}' finished", plan.jobName());
            completion.complete(null);
        }
    }

    private void awaitTasks() {
        // tasks see the cancelled flag within a loop iteration; collect their Done/Failed messages
        int remaining = tasks.size();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (remaining > 0 && System.nanoTime() < deadline) {
            try {
                Object m = inbox.poll(100, TimeUnit.MILLISECONDS);
                if (m instanceof Done || m instanceof Failed) {
                    remaining--;
                }
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private Pending trigger(long id, boolean stop, long now) {
        Pending p = new Pending(id, stop, now);
        for (Task t : tasks) {
            if (stageOf.get(t) == 0) {
                t.control.add(new Task.Trigger(id, stop));
            }
        }
        return p;
    }

    private void complete(Pending p) {
        Map<String, List<SplitPosition>> sources = new TreeMap<>();
        Map<String, List<Committable>> sinks = new TreeMap<>();
        Map<String, Map<Integer, StateRef>> state = new TreeMap<>();
        Map<String, Long> storeFiles = new TreeMap<>();
        long bytes = 0;
        for (TaskSnapshot s : p.acks) {
            storeFiles.putAll(s.storeFiles());
            s.positions().forEach((k, v) -> sources.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
            s.committables().forEach((k, v) -> sinks.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
            s.state().forEach((k, v) -> state.computeIfAbsent(k, x -> new TreeMap<>()).putAll(v));
            bytes += s.stateBytes();
        }
        for (List<SplitPosition> l : sources.values()) {
            l.sort((a, b) -> a.splitId().compareTo(b.splitId()));
        }
        CheckpointManifest m = new CheckpointManifest(p.id, plan.jobName(), config.clock().millis(), config.parallelism(),
                sources, sinks, state, storeFiles);
        if (storage != null) {
            storage.forceStateDir(p.id);
            bytes += storage.writeManifest(m);
        }
        long took = config.clock().millis() - p.startedMs;
        lastCheckpoint = new JobMetricsRegistry.CheckpointStats(lastCheckpoint.completed() + 1, p.id, took, bytes);
        broadcast(new Task.Commit(p.id));
        if (storage != null) {
            storage.prune(p.id);
        }
        LOG.debug("job '{}' completed checkpoint {} in {} ms ({} bytes)", plan.jobName(), p.id, took, bytes);
    }

    private void broadcast(Object msg) {
        for (Task t : tasks) {
            t.control.add(msg);
        }
    }

    private void deleteTempSinkDir() {
        if (tempSinkDir == null) {
            return;
        }
        try (var walk = Files.walk(tempSinkDir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.debug("cannot delete {}: {}", tempSinkDir, e.toString());
        }
    }

    private JobMetricsRegistry.CheckpointStats checkpointStats() {
        return lastCheckpoint;
    }

    private static CheckpointStorage.StepHook crashHookFromSystemProperty() {
        // crash tests: -Drunnel.streams.test.crashAt=STEP@ID halts the JVM when STEP of checkpoint >= ID is reached
        String spec = System.getProperty("runnel.streams.test.crashAt");
        if (spec == null) {
            return (step, id) -> { };
        }
        String[] parts = spec.split("@");
        CheckpointStorage.Step target = CheckpointStorage.Step.valueOf(parts[0]);
        long fromId = parts.length > 1 ? Long.parseLong(parts[1]) : 1;
        return (step, id) -> {
            if (step == target && id >= fromId) {
                Runtime.getRuntime().halt(99);
            }
        };
    }

    // ---- RunningJob ----

    @Override
    public String name() {
        return plan.jobName();
    }

    @Override
    public void stop() {
        inbox.add(STOP);
        try {
            completion.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof JobFailedException f) {
                throw f;
            }
            throw e;
        }
    }

    @Override
    public void cancel() {
        inbox.add(CANCEL);
        completion.exceptionally(e -> null).join();
    }

    @Override
    public boolean await(Duration timeout) throws InterruptedException {
        try {
            completion.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof JobFailedException f) {
                throw f;
            }
            throw new JobFailedException("job '" + plan.jobName() + "' failed: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public CompletableFuture<Void> completion() {
        return completion;
    }

    @Override
    public JobMetrics metrics() {
        return metricsRegistry.snapshot();
    }

    /** Used by tests: the operator metrics by name. */
    public Map<String, OperatorMetrics> operatorMetrics() {
        return metricsRegistry.snapshot().operators();
    }
}
