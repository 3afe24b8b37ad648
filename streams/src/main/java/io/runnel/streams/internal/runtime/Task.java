package io.runnel.streams.internal.runtime;

import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.lmax.disruptor.EventPoller;
import io.runnel.streams.StreamsException;
import io.runnel.streams.connect.SourceReader;
import io.runnel.streams.internal.checkpoint.CheckpointManifest;
import io.runnel.streams.internal.checkpoint.CheckpointManifest.Committable;
import io.runnel.streams.internal.checkpoint.CheckpointManifest.SplitPosition;
import io.runnel.streams.internal.checkpoint.CheckpointManifest.StateRef;
import io.runnel.streams.internal.checkpoint.CheckpointStorage;
import io.runnel.streams.internal.checkpoint.StateFileWriter;
import io.runnel.streams.internal.exchange.BackoffIdler;
import io.runnel.streams.internal.exchange.Exchange;
import io.runnel.streams.internal.exchange.ExchangeSlot;
import io.runnel.streams.internal.exchange.ExchangeWriter;
import io.runnel.streams.internal.state.KryoCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One task: a stage's fused operators run by one thread. A task of stage 0 polls its source
 * splits; a later one polls its inbound exchange channels, aligning checkpoint barriers per channel
 * (a channel whose barrier arrived is not polled until every channel's has). At a checkpoint the
 * task snapshots split positions, keyed state (changed key groups only, written to the page cache)
 * and sink committables and passes the barrier on; the job's snapshot writer forces the files and
 * then acknowledges to the coordinator, while the task goes on.
 */
final class Task implements Runnable {

    record Trigger(long checkpointId, boolean stop) {
    }

    record Commit(long checkpointId) {
    }

    static final Object SHUTDOWN = new Object();

    private final JobRuntime job;
    final TaskContext ctx;
    final TaskGraph graph;
    private final List<ExchangeWriter> writers;
    private final List<InChannel> channels = new ArrayList<>();
    private final List<SourceOperator.Split> splits = new ArrayList<>();
    private final List<SourceOperator> splitOwners = new ArrayList<>();
    private final List<java.util.function.Supplier<String>> splitPositions = new ArrayList<>();
    private final Map<String, List<byte[]>> restoredCommittables;
    final ConcurrentLinkedQueue<Object> control = new ConcurrentLinkedQueue<>();
    private final BackoffIdler idler = new BackoffIdler();
    private final Map<Long, Map<SinkOperator, byte[]>> pendingCommits = new TreeMap<>();
    private final Map<String, Map<Integer, StateRef>> lastRefs = new HashMap<>();
    private final int pollBatch;
    private boolean inputStopped;
    private boolean shutdown;
    private boolean endReported;
    private int barriersPending;
    private long barrierId;
    private boolean barrierStop;
    private volatile Throwable snapshotFailure;

    Task(JobRuntime job, TaskContext ctx, TaskGraph graph, List<ExchangeWriter> writers, List<Exchange> inboundExchanges,
         List<Integer> inboundEdgeIds, Map<String, List<byte[]>> restoredCommittables, int pollBatch) {
        this.job = job;
        this.ctx = ctx;
        this.graph = graph;
        this.writers = writers;
        this.restoredCommittables = restoredCommittables;
        this.pollBatch = pollBatch;
        for (int i = 0; i < inboundExchanges.size(); i++) {
            Exchange ex = inboundExchanges.get(i);
            Collector target = graph.inbound.get(inboundEdgeIds.get(i));
            WatermarkCombiner combiner = new WatermarkCombiner(ex.parallelism());
            for (int sender = 0; sender < ex.parallelism(); sender++) {
                channels.add(new InChannel(ex.poller(sender, ctx.task), sender, target, ex.keyed(), combiner));
            }
        }
        for (SourceOperator s : graph.sources.values()) {
            for (SourceOperator.Split split : s.splits()) {
                splits.add(split);
                splitOwners.add(s);
                splitPositions.add(() -> "source '" + split.sourceName() + "' split '" + split.split.id() + "' at "
                        + split.reader.describePosition());
            }
        }
    }

    Map<String, List<byte[]>> restoredCommittables() {
        return restoredCommittables;
    }

    @Override
    public void run() {
        try {
            open();
            while (!shutdown && !job.isCancelled()) {
                if (snapshotFailure != null) {
                    throw new StreamsException("checkpoint of task " + ctx.task + " of stage " + ctx.stage
                            + " failed: " + snapshotFailure, snapshotFailure);
                }
                handleControl();
                if (shutdown) {
                    break;
                }
                boolean progress = !inputStopped && (channels.isEmpty() ? pollSplits() : pollChannels());
                ctx.processingTime.fireDue(ctx.clock.millis());
                for (ExchangeWriter w : writers) {
                    w.flush();
                }
                graph.publishCounters();
                checkEnded();
                if (progress) {
                    idler.reset();
                } else {
                    idler.idle();
                }
            }
            graph.publishCounters();
            close(null);
        } catch (ExchangeWriter.CancelledException e) {
            close(null);
        } catch (Throwable t) {
            close(t);
            job.taskFailed(this, t);
            return;
        }
        job.taskDone(this);
    }

    private void open() {
        graph.open();
        if (channels.isEmpty()) {
            for (int i = 0; i < splits.size(); i++) {
                SourceOperator.Split s = splits.get(i);
                if (!s.isEnded()) {
                    s.reader = job.openReader(splitOwners.get(i), s, ctx);
                }
            }
        } else {
            ctx.setPosition(() -> "key " + ctx.keys.key + " (after a keyBy exchange)");
        }
        restoreState();
        for (SinkOperator sink : graph.sinks) {
            List<byte[]> cs = restoredCommittables.getOrDefault(sink.name(), List.of());
            for (byte[] c : cs) {
                sink.commit(job.restoredCheckpointId(), c);
            }
        }
        for (SourceOperator s : graph.sources.values()) {
            s.start();
        }
    }

    private void restoreState() {
        CheckpointManifest m = job.restoredManifest();
        if (m == null || graph.stateful.isEmpty()) {
            return;
        }
        KryoCodec codec = ctx.codec();
        for (KeyedStateful op : graph.stateful) {
            Map<Integer, StateRef> refs = m.state().getOrDefault(op.name(), Map.of());
            Map<Integer, StateRef> mine = new HashMap<>();
            // a group stays dirty if its restore must be written anew (e.g. heap state restored onto disk)
            op.clearDirty();
            for (Map.Entry<Integer, StateRef> e : refs.entrySet()) {
                int group = e.getKey();
                if (group >= ctx.keyGroupStart && group < ctx.keyGroupEnd) {
                    byte[] blob = job.storage().read(e.getValue());
                    op.restore(group, codec.kryo(), new Input(blob));
                    mine.put(group, e.getValue());
                }
            }
            lastRefs.put(op.name(), mine);
        }
    }

    private void handleControl() {
        Object msg;
        while ((msg = control.poll()) != null) {
            if (msg instanceof Trigger t) {
                checkpoint(t.checkpointId(), t.stop());
            } else if (msg instanceof Commit c) {
                commit(c.checkpointId());
            } else if (msg == SHUTDOWN) {
                shutdown = true;
                return;
            }
        }
    }

    private boolean pollSplits() {
        boolean progress = false;
        long now = ctx.clock.millis();
        for (int i = 0; i < splits.size(); i++) {
            SourceOperator.Split s = splits.get(i);
            if (s.isEnded()) {
                continue;
            }
            SourceReader<Object> reader = s.reader;
            ctx.setPosition(splitPositions.get(i));
            SourceReader.Status status = reader.poll(s, pollBatch, Duration.ZERO);
            boolean backlog = status == SourceReader.Status.CAUGHT_UP && reader.hasBacklog();
            if (status == SourceReader.Status.END) {
                s.lastPosition = reader.position();
            }
            splitOwners.get(i).afterPoll(s, status, backlog, now);
            progress |= status == SourceReader.Status.MORE;
        }
        return progress;
    }

    private boolean pollChannels() {
        boolean progress = false;
        for (InChannel c : channels) {
            if (c.blocked) {
                continue;
            }
            try {
                progress |= c.poller.poll(c) == EventPoller.PollState.PROCESSING;
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return progress;
    }

    private void onBarrier(long id, boolean stop) {
        barriersPending++;
        barrierId = id;
        barrierStop |= stop;
        if (barriersPending == channels.size()) {
            checkpoint(barrierId, barrierStop);
            barriersPending = 0;
            barrierStop = false;
            for (InChannel c : channels) {
                c.blocked = false;
            }
        }
    }

    private void checkEnded() {
        if (endReported) {
            return;
        }
        boolean ended;
        if (channels.isEmpty()) {
            ended = true;
            for (SourceOperator s : graph.sources.values()) {
                ended &= s.ended();
            }
        } else {
            ended = true;
            for (InChannel c : channels) {
                ended &= c.combiner.allEnded();
            }
        }
        if (ended) {
            endReported = true;
            job.taskEnded(this);
        }
    }

    private void checkpoint(long id, boolean stop) {
        for (ExchangeWriter w : writers) {
            w.flush();
        }
        Map<String, List<SplitPosition>> positions = new LinkedHashMap<>();
        for (SourceOperator.Split s : splits) {
            byte[] pos = s.isEnded() ? (s.lastPosition != null ? s.lastPosition : s.split.position()) : s.reader.position();
            positions.computeIfAbsent(s.sourceName(), k -> new ArrayList<>())
                    .add(new SplitPosition(s.split.id(), pos, s.isEnded()));
        }
        Map<String, Map<Integer, StateRef>> refs = new LinkedHashMap<>();
        Map<String, Long> storeFiles = new TreeMap<>();
        CheckpointStorage storage = job.storage();
        StateFileWriter file = null;
        StateCache.Durability durability = null;
        if (storage != null && !graph.stateful.isEmpty()) {
            StateCache cache = ctx.stateCache();
            if (cache != null) {
                cache.prepareSnapshot();
            }
            KryoCodec codec = ctx.codec();
            file = storage.newStateFile(id, ctx.globalTask);
            try {
                for (KeyedStateful op : graph.stateful) {
                    Map<Integer, StateRef> previous = lastRefs.getOrDefault(op.name(), Map.of());
                    Map<Integer, StateRef> now = new TreeMap<>();
                    for (int g = ctx.keyGroupStart; g < ctx.keyGroupEnd; g++) {
                        if (!op.isDirty(g)) {
                            StateRef r = previous.get(g);
                            if (r != null) {
                                now.put(g, r);
                            }
                            continue;
                        }
                        Output out = codec.begin();
                        if (op.snapshot(g, codec.kryo(), out)) {
                            now.put(g, file.append(codec.finish()));
                        }
                    }
                    op.clearDirty();
                    lastRefs.put(op.name(), now);
                    refs.put(op.name(), now);
                }
                if (cache != null) {
                    cache.referencedFiles(storeFiles);
                    durability = cache.takeDurability();
                }
            } catch (RuntimeException | Error e) {
                file.close();
                throw e;
            }
        }
        Map<String, List<Committable>> committables = new LinkedHashMap<>();
        Map<SinkOperator, byte[]> mine = new LinkedHashMap<>();
        // dead-letter sinks last: records another sink refuses while preparing are dead-lettered into this checkpoint
        for (boolean deadLetters : new boolean[] {false, true}) {
            for (SinkOperator sink : graph.sinks) {
                if (sink.isDeadLetterSink() == deadLetters) {
                    byte[] c = sink.prepareCommit(id);
                    mine.put(sink, c);
                    committables.computeIfAbsent(sink.name(), k -> new ArrayList<>()).add(new Committable(ctx.globalTask, c));
                }
            }
        }
        pendingCommits.put(id, mine);
        for (ExchangeWriter w : writers) {
            w.barrier(id, stop);
        }
        if (stop) {
            inputStopped = true;
        }
        TaskSnapshot snapshot = new TaskSnapshot(id, ctx.globalTask, positions, committables, refs, storeFiles,
                file == null ? 0 : file.bytesWritten());
        if (file == null || file.bytesWritten() == 0 && (durability == null || durability.isEmpty())) {
            job.acknowledge(snapshot);
            return;
        }
        // the task goes on while the state file and the key-group files it appended to are forced;
        // the checkpoint completes when every task's are
        StateFileWriter written = file;
        StateCache.Durability appended = durability;
        job.whenDurable(this, () -> {
            written.close();
            if (appended != null) {
                appended.force();
            }
            job.acknowledge(snapshot);
        });
    }

    /** A snapshot could not be made durable: the task fails in its next loop iteration. */
    void snapshotFailed(Throwable error) {
        snapshotFailure = error;
    }

    private void commit(long id) {
        Map<SinkOperator, byte[]> mine = pendingCommits.remove(id);
        if (mine == null) {
            return;
        }
        for (Map.Entry<SinkOperator, byte[]> e : mine.entrySet()) {
            e.getKey().commit(id, e.getValue());
        }
    }

    private void close(Throwable failure) {
        for (SourceOperator.Split s : splits) {
            if (s.reader != null) {
                try {
                    s.reader.close();
                } catch (RuntimeException e) {
                    if (failure != null) {
                        failure.addSuppressed(e);
                    }
                }
            }
        }
        try {
            graph.close();
        } catch (RuntimeException e) {
            if (failure != null) {
                failure.addSuppressed(e);
            }
        }
        if (ctx.stateCache() != null) {
            try {
                ctx.stateCache().close();
            } catch (RuntimeException e) {
                if (failure != null) {
                    failure.addSuppressed(e);
                }
            }
        }
    }

    /** One inbound channel: the ring from one sending task of one exchange edge. */
    private final class InChannel implements EventPoller.Handler<ExchangeSlot> {
        final EventPoller<ExchangeSlot> poller;
        final int sender;
        final Collector target;
        final boolean keyed;
        final WatermarkCombiner combiner;
        boolean blocked;

        InChannel(EventPoller<ExchangeSlot> poller, int sender, Collector target, boolean keyed, WatermarkCombiner combiner) {
            this.poller = poller;
            this.sender = sender;
            this.target = target;
            this.keyed = keyed;
            this.combiner = combiner;
        }

        @Override
        public boolean onEvent(ExchangeSlot s, long sequence, boolean endOfBatch) {
            switch (s.kind) {
                case ExchangeSlot.RECORDS -> {
                    Object[] values = s.values;
                    long[] times = s.times;
                    int n = s.size;
                    if (keyed) {
                        Object[] keys = s.keys;
                        int[] groups = s.groups;
                        KeyContext kc = ctx.keys;
                        for (int i = 0; i < n; i++) {
                            kc.set(keys[i], groups[i]);
                            target.record(values[i], times[i]);
                        }
                    } else {
                        for (int i = 0; i < n; i++) {
                            target.record(values[i], times[i]);
                        }
                    }
                    return true;
                }
                case ExchangeSlot.WATERMARK -> {
                    if (combiner.update(sender, s.value)) {
                        target.watermark(combiner.combined());
                    }
                    return true;
                }
                case ExchangeSlot.IDLE, ExchangeSlot.ACTIVE -> {
                    boolean wasIdle = combiner.isIdle();
                    boolean rose = combiner.setIdle(sender, s.kind == ExchangeSlot.IDLE);
                    if (wasIdle != combiner.isIdle()) {
                        target.idle(combiner.isIdle());
                    }
                    if (rose) {
                        target.watermark(combiner.combined());
                    }
                    return true;
                }
                case ExchangeSlot.BARRIER -> {
                    blocked = true;
                    onBarrier(s.value, s.stop);
                    return false;
                }
                default -> throw new IllegalStateException("unknown slot kind " + s.kind);
            }
        }
    }
}
