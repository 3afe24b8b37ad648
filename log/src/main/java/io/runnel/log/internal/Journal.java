package io.runnel.log.internal;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.TimeoutBlockingWaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.runnel.log.BackpressureTimeoutException;
import io.runnel.log.Durability;
import io.runnel.log.DurabilityFailureException;
import io.runnel.log.LogClosedException;
import io.runnel.log.RecordMetadata;
import io.runnel.log.StorageFailureException;
import io.runnel.log.UnknownTopicException;
import io.runnel.log.format.BatchBuilder;
import io.runnel.log.format.BatchDescriptor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The append path: a multi-producer Disruptor ring drained by one journal thread, the single
 * writer of every partition. Per drained batch (until {@code endOfBatch}) it encodes one record
 * batch per partition, writes them, applies the durability policy once (group commit), publishes
 * the new end offsets to readers and completes the futures in order. Under {@code FSYNC} that last
 * step is the {@link Forcer}'s, on its own thread: the journal hands each written drain over and
 * writes the next one while the previous ones are forced; readers and producers still see a
 * record only after the force covering it returned, and futures still complete in ring order.
 *
 * <p>Tasks and barriers ({@link #submit}, {@link #barrier}) run or complete only after every
 * request published before them is completed.
 *
 * <p>Failures: a request that fails on the journal (unknown topic after a delete, a write error
 * such as a full disk) fails alone and the writer keeps running; a failed force is fatal: every
 * pending and later request fails with {@link DurabilityFailureException} until the log is
 * reopened.
 */
final class Journal implements EventHandler<AppendEvent> {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Journal.class);

    /** Test hook: when set, FSYNC publishes and acknowledges before forcing (a deliberately broken variant). */
    static volatile boolean ackBeforeForceForTesting;

    private final LogContext ctx;
    private final Durability.Kind durability;
    /** INTERVAL only: forces what the journal published, every interval, off the journal thread. */
    private final ScheduledExecutorService flusher;
    private final int maxBatchBytes;
    private final Supplier<Collection<PartitionLog>> partitions;
    private final Executor background;
    private final Disruptor<AppendEvent> disruptor;
    private final RingBuffer<AppendEvent> ring;
    private final long backpressureNanos;
    private final LongAdder inFlightPublishers = new LongAdder();
    private volatile boolean closed;
    private volatile Throwable failure;

    /** FSYNC only: forces, publishes and acknowledges the drains the journal wrote, off the journal thread. */
    private final Forcer forcer;

    // Journal-thread state.
    private final List<PartitionLog> touched = new ArrayList<>();
    private long lastAgeCheckMs;
    /** The drain being filled: its requests and, once written, what it makes visible. */
    private Drain drain = new Drain();

    Journal(LogContext ctx, Supplier<Collection<PartitionLog>> partitions, Executor background) {
        this.ctx = ctx;
        this.durability = ctx.config.durability().kind();
        this.maxBatchBytes = ctx.config.maxBatchBytes();
        this.partitions = partitions;
        this.background = background;
        this.backpressureNanos = ctx.config.backpressureTimeout().toNanos();
        // As many requests may wait for the next force as fit in the ring: the journal writes them
        // while the current force runs, then blocks, and the ring fills behind it (backpressure).
        this.forcer = durability == Durability.Kind.FSYNC
                ? new Forcer(this, ctx.config.ringBufferSize(), DiskLog.named(ctx.config.threadFactory(), "journal-force"))
                : null;
        this.disruptor = new Disruptor<>(AppendEvent::new, ctx.config.ringBufferSize(),
                DiskLog.named(ctx.config.threadFactory(), "journal"),
                ProducerType.MULTI, new TimeoutBlockingWaitStrategy(100, TimeUnit.MILLISECONDS));
        disruptor.handleEventsWith(this);
        disruptor.setDefaultExceptionHandler(new LoggingExceptionHandler());
        this.ring = disruptor.start();
        if (durability == Durability.Kind.INTERVAL) {
            // The journal never waits for these forces: it keeps writing and acknowledging while a force
            // of earlier data is in flight (forcing on the journal thread stalled every append behind it).
            long intervalMs = ctx.config.durability().interval().toMillis();
            this.flusher = Executors.newSingleThreadScheduledExecutor(DiskLog.named(ctx.config.threadFactory(),
                    "flusher"));
            flusher.scheduleAtFixedRate(this::forcePublished, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
        } else {
            this.flusher = null;
        }
    }

    Throwable failure() {
        return failure;
    }

    // ---- producer side (any thread) ----

    /** Enters a publishing section; false if the journal is closed. */
    private void enter() {
        inFlightPublishers.increment();
        if (closed) {
            inFlightPublishers.decrement();
            throw new LogClosedException("the log is closed: open it again to append");
        }
    }

    private void exit() {
        inFlightPublishers.decrement();
    }

    /**
     * Publishes one append; the future completes on the journal thread. The slot is claimed,
     * filled in place and published in a finally block (the Disruptor's claim/publish form): a
     * translator taking these eight values would need a varargs array per event, and this form
     * allocates nothing but the future.
     */
    CompletableFuture<RecordMetadata> append(PartitionLog p, long timestampMs, byte[] key, byte[] value,
            byte[] headers, long producerId, long sequence) {
        CompletableFuture<RecordMetadata> f = new AppendFuture<>();
        Throwable failed = failure;
        if (failed != null) {
            f.completeExceptionally(failed);
            return f;
        }
        enter();
        try {
            long seq = claim(1);
            try {
                fillAppend(ring.get(seq), p, timestampMs, key, value, headers, producerId, sequence, f);
            } finally {
                ring.publish(seq);
            }
        } finally {
            exit();
        }
        return f;
    }

    /** Publishes a run of appends in one claim (they tend to land in one batch). */
    void appendAll(PartitionLog[] parts, long[] timestamps, byte[][] keys, byte[][] values, byte[][] headers,
            long producerId, long[] sequences, List<CompletableFuture<RecordMetadata>> futures) {
        int n = parts.length;
        int chunk = Math.max(1, ring.getBufferSize() / 4);
        int i = 0;
        while (i < n) {
            int m = Math.min(chunk, n - i);
            Throwable failed = failure;
            if (failed != null) {
                for (int j = i; j < n; j++) {
                    CompletableFuture<RecordMetadata> f = new CompletableFuture<>();
                    f.completeExceptionally(failed);
                    futures.add(f);
                }
                return;
            }
            enter();
            try {
                long hi = claim(m);
                long lo = hi - m + 1;
                try {
                    for (int j = 0; j < m; j++) {
                        int k = i + j;
                        CompletableFuture<RecordMetadata> f = new AppendFuture<>();
                        fillAppend(ring.get(lo + j), parts[k], timestamps[k], keys[k], values[k], headers[k], producerId,
                                sequences == null ? -1 : sequences[k], f);
                        futures.add(f);
                    }
                } finally {
                    ring.publish(lo, hi);
                }
            } finally {
                exit();
            }
            i += m;
        }
    }

    private static void fillAppend(AppendEvent e, PartitionLog p, long timestampMs, byte[] key, byte[] value,
            byte[] headers, long producerId, long sequence, CompletableFuture<RecordMetadata> f) {
        e.type = AppendEvent.APPEND;
        e.partition = p;
        e.timestampMs = timestampMs;
        e.key = key;
        e.value = value;
        e.headers = headers;
        e.producerId = producerId;
        e.sequence = sequence;
        e.future = f;
    }

    /** A future completed once everything published before it is completed. */
    CompletableFuture<Void> barrier() {
        return submit(null);
    }

    /**
     * Runs {@code task} on the journal thread once every request published before it is completed
     * (under FSYNC the journal waits for the forcer first; nothing is written meanwhile).
     */
    CompletableFuture<Void> submit(Runnable task) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        enter();
        try {
            long seq = claim(1);
            try {
                AppendEvent e = ring.get(seq);
                e.type = task == null ? AppendEvent.BARRIER : AppendEvent.TASK;
                e.task = task;
                e.done = done;
            } finally {
                ring.publish(seq);
            }
        } finally {
            exit();
        }
        return done;
    }

    private long claim(int n) {
        try {
            return ring.tryNext(n);
        } catch (InsufficientCapacityException e) {
            return claimSlow(n);
        }
    }

    /** Backpressure: the ring is full; wait (parking, not spinning) up to the timeout. */
    private long claimSlow(int n) {
        long deadline = System.nanoTime() + backpressureNanos;
        long park = 20_000;
        while (true) {
            if (closed) {
                throw new LogClosedException("the log was closed while waiting for space in the append ring");
            }
            try {
                return ring.tryNext(n);
            } catch (InsufficientCapacityException e) {
                // Space is freed by the journal (and, under FSYNC, the forcer): they cannot wait for it.
                AppendFuture.checkMayWait("a send waiting for space in the full append ring");
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new BackpressureTimeoutException("append ring full for " + backpressureNanos / 1_000_000
                            + " ms (ringBufferSize=" + ring.getBufferSize() + "): the journal cannot keep up; slow down,"
                            + " or raise LogConfig.backpressureTimeout or LogConfig.ringBufferSize");
                }
                LockSupport.parkNanos(Math.min(park, left));
                park = Math.min(park * 2, 1_000_000);
            }
        }
    }

    // ---- journal thread ----

    @Override
    public void onStart() {
        AppendFuture.markCompletingThread("journal");
    }

    @Override
    public void onEvent(AppendEvent e, long sequence, boolean endOfBatch) {
        try {
            switch (e.type) {
                case AppendEvent.APPEND -> onAppend(e);
                case AppendEvent.BARRIER -> {
                    drain.addBarrier(e.done);
                    completeDrain();
                }
                case AppendEvent.TASK -> {
                    completeDrain();
                    if (forcer != null) {
                        forcer.awaitCompleted();
                    }
                    try {
                        e.task.run();
                        e.done.complete(null);
                    } catch (Throwable t) {
                        e.done.completeExceptionally(t);
                    }
                }
                default -> throw new IllegalStateException("unknown event type " + e.type);
            }
        } catch (Throwable t) {
            // A poison request fails alone; the journal keeps running.
            LOG.error("append request failed on the journal thread", t);
            if (e.future != null) {
                drain.addRequest(e.future, e.partition, -1, e.timestampMs, t, false);
            }
        } finally {
            e.clear();
        }
        if (endOfBatch) {
            completeDrain();
        }
    }

    @Override
    public void onTimeout(long sequence) {
        long now = ctx.nowMs();
        if (now - lastAgeCheckMs >= 1000 && failure == null) {
            lastAgeCheckMs = now;
            for (PartitionLog p : partitions.get()) {
                if (!p.isDeleted() && p.activeTooOld(now)) {
                    try {
                        Segment old = p.activeSegment();
                        p.roll();
                        afterRoll(p, old);
                    } catch (IOException ex) {
                        LOG.warn("{}: rolling an aged segment failed: {}", p, ex.toString());
                    }
                }
            }
        }
    }

    private void onAppend(AppendEvent e) {
        PartitionLog p = e.partition;
        Throwable failed = failure;
        if (failed != null) {
            drain.addRequest(e.future, p, -1, e.timestampMs, failed, false);
            return;
        }
        if (p.isDeleted()) {
            drain.addRequest(e.future, p, -1, e.timestampMs, new UnknownTopicException("topic '" + p.tp.topic()
                    + "' was deleted while the record was queued"), false);
            return;
        }
        if (!p.touched) {
            p.touched = true;
            touched.add(p);
        }
        if (p.drainFailure != null) {
            drain.addRequest(e.future, p, -1, e.timestampMs, p.drainFailure, false);
            return;
        }
        BatchBuilder b = p.builder;
        long pid = e.producerId;
        long seq = -1;
        if (pid >= 0) {
            long last = lastSequence(p, pid);
            seq = e.sequence >= 0 ? e.sequence : last + 1;
            if (seq <= last) {
                ProducerStateTable.Entry st = p.producers.lookup(pid, p.startOffset());
                long off = st != null ? st.offsetOf(seq) : -1; // -1: older than the producer's last batch
                if (b.recordCount() > 0 && b.producerId() == pid) {
                    off = -1; // the original is in the batch being built: same drain, offset not final
                }
                drain.addRequest(e.future, p, off, e.timestampMs, null, true);
                return;
            }
            if (b.recordCount() > 0 && (b.producerId() != pid || seq != b.baseSequence() + b.recordCount())) {
                flush(p);
            }
        } else if (b.recordCount() > 0 && b.producerId() >= 0) {
            flush(p);
        }
        if (b.recordCount() > 0
                && b.sizeInBytes() + BatchBuilder.recordSizeUpperBound(e.key, e.value, e.headers) > maxBatchBytes) {
            flush(p);
            if (p.drainFailure != null) {
                drain.addRequest(e.future, p, -1, e.timestampMs, p.drainFailure, false);
                return;
            }
        }
        if (b.recordCount() == 0) {
            b.reset(p.nextOffset(), pid, pid >= 0 ? seq : BatchDescriptor.NO_PRODUCER);
        }
        long offset = b.append(e.timestampMs, e.key, e.value, e.headers);
        drain.addRequest(e.future, p, offset, e.timestampMs, null, false);
    }

    private static long lastSequence(PartitionLog p, long pid) {
        BatchBuilder b = p.builder;
        if (b.recordCount() > 0 && b.producerId() == pid) {
            return b.baseSequence() + b.recordCount() - 1;
        }
        ProducerStateTable.Entry st = p.producers.lookup(pid, p.startOffset());
        return st == null ? -1 : st.lastSequence();
    }

    /** Writes the partition's pending batch; a write error fails it and the rest of the partition's drain. */
    private void flush(PartitionLog p) {
        BatchBuilder b = p.builder;
        if (b.recordCount() == 0) {
            return;
        }
        long base = b.baseOffset();
        Segment before = p.activeSegment();
        IOException err = p.writeBatch(ctx.nowMs());
        b.reset(p.nextOffset(), -1, BatchDescriptor.NO_PRODUCER);
        if (err == null) {
            Segment now = p.activeSegment();
            if (now != before) {
                afterRoll(p, before);
            }
            return;
        }
        if (err instanceof PartitionLog.FatalIOException) {
            fail(new DurabilityFailureException("write to " + p.activeSegment() + " failed and could not be rolled back ("
                    + err.getMessage() + "); the log stops acknowledging: close and reopen it to recover", err));
            return;
        }
        LOG.warn("{}: write failed ({}); failing its records, rolled back to offset {}", p, err.toString(), base);
        p.drainFailure = new StorageFailureException("write to " + p.activeSegment().logFile() + " failed: "
                + err.getMessage() + " (nothing from this batch was acknowledged; free disk space and retry)", err);
        p.drainFailureFrom = base;
    }

    /**
     * After a roll the journal never forces the closed segment itself: under FSYNC the forcer forces
     * it with the drain that wrote to it last (before any acknowledgement covering it); INTERVAL's
     * flusher covers it with its next force; under OS it is forced once in the background, then
     * counted durable.
     */
    private void afterRoll(PartitionLog p, Segment old) {
        if (durability != Durability.Kind.OS) {
            return;
        }
        long end = old.nextOffset();
        background.execute(() -> {
            try {
                old.force();
                ctx.storage.forceDirectory(p.dir); // its entry too: the recovery point will count on the file
                p.markDurable(end);
            } catch (IOException ex) {
                fail(new DurabilityFailureException("forcing closed segment " + old + " failed: " + ex.getMessage()
                        + "; the log stops acknowledging: close and reopen it to recover", ex));
            }
        });
    }

    /** Stops acknowledging for good (any thread); the first failure is the one reported. */
    synchronized void fail(DurabilityFailureException e) {
        if (failure == null) {
            LOG.error("durability failure: {}", e.getMessage());
            failure = e;
        }
    }

    /**
     * Writes everything of the current drain, then applies the durability policy: under FSYNC hands
     * the drain to the forcer (which forces, publishes and acknowledges it while the journal goes on);
     * otherwise publishes and acknowledges it here.
     */
    private void completeDrain() {
        if (touched.isEmpty() && drain.isEmpty()) {
            return;
        }
        boolean writeFailed = false;
        for (int i = 0; i < touched.size(); i++) {
            PartitionLog p = touched.get(i);
            flush(p);
            writeFailed |= p.drainFailure != null;
        }
        if (writeFailed) {
            drain.applyWriteFailures();
        }
        for (int i = 0; i < touched.size(); i++) {
            PartitionLog p = touched.get(i);
            drain.addPartition(p);
            p.endDrain();
        }
        touched.clear();
        if (forcer != null) {
            drain = forcer.handOver(drain);
            return;
        }
        Throwable drainError = failure;
        if (drainError == null) {
            drain.publish();
        }
        drain.complete(drainError);
        drain.clear();
    }

    /** INTERVAL (flusher thread): forces what every partition published and counts it durable. */
    private void forcePublished() {
        for (PartitionLog p : partitions.get()) {
            if (failure != null) {
                return;
            }
            try {
                p.forcePublished();
            } catch (IOException ex) {
                if (p.isDeleted()) {
                    continue; // its files were closed by a topic delete meanwhile
                }
                fail(new DurabilityFailureException("force of " + p.activeSegment() + " failed: " + ex.getMessage()
                        + "; the log stops acknowledging: close and reopen it to recover", ex));
            } catch (RuntimeException ex) {
                LOG.error("{}: periodic force failed", p, ex); // keep the flusher scheduled
            }
        }
    }

    /**
     * Stops accepting appends, completes everything queued, forces and persists (unless failed),
     * and stops the journal thread.
     */
    void close(Runnable finalTask) {
        if (closed) {
            return;
        }
        closed = true;
        if (flusher != null) {
            flusher.shutdown(); // before the close's own force; a force in flight finishes first
            try {
                flusher.awaitTermination(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // Wait for publishers that passed the closed check before it was set.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (inFlightPublishers.sum() != 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(100_000);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        long seq = ring.next();
        try {
            AppendEvent e = ring.get(seq);
            e.type = AppendEvent.TASK;
            e.task = () -> {
                if (failure == null) {
                    for (PartitionLog p : partitions.get()) {
                        if (p.isDeleted()) {
                            continue;
                        }
                        try {
                            p.forceAll();
                            p.markDurable(p.nextOffset());
                        } catch (IOException ex) {
                            fail(new DurabilityFailureException("force at close failed: " + ex.getMessage(), ex));
                        }
                    }
                }
                finalTask.run();
            };
            e.done = done;
        } finally {
            ring.publish(seq);
        }
        try {
            done.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("closing the journal: {}", e.toString());
        }
        try {
            disruptor.shutdown(10, TimeUnit.SECONDS);
        } catch (com.lmax.disruptor.TimeoutException e) {
            disruptor.halt();
        }
        if (forcer != null) {
            forcer.close();
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** Fails the failing event only; never stops the journal (the Disruptor's default would). */
    private static final class LoggingExceptionHandler implements ExceptionHandler<AppendEvent> {
        @Override
        public void handleEventException(Throwable ex, long sequence, AppendEvent event) {
            LOG.error("journal event {} failed", sequence, ex);
        }

        @Override
        public void handleOnStartException(Throwable ex) {
            LOG.error("journal start failed", ex);
        }

        @Override
        public void handleOnShutdownException(Throwable ex) {
            LOG.error("journal shutdown failed", ex);
        }
    }
}
