package io.runnel.log.internal;

import io.runnel.log.DurabilityFailureException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The FSYNC policy's durability step, on its own thread so the journal writes the next drains
 * while earlier ones are forced: it takes every drain the journal handed over, forces each segment
 * they wrote once (and a partition's directory when one of them is a new file), counts the data
 * durable, then publishes the drains to readers and completes their requests, drain by drain in
 * journal order (group commit across drains). Nothing is visible or acknowledged before the force
 * that covers its bytes has returned.
 *
 * <p>A failed force is fatal ({@link Journal#fail}): the drains being forced and every later one
 * fail with the {@link DurabilityFailureException}; nothing more is published.
 *
 * <p>Backpressure: the journal blocks in {@link #handOver} while {@code maxQueuedRequests}
 * requests wait for the next force; the append ring then fills and producers block.
 *
 * <p>Threading: {@link #handOver} and {@link #awaitCompleted} are for the journal thread only.
 */
final class Forcer {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Forcer.class);
    /** Partitions forced at once besides the forcer's own (more queue behind; idle threads cost nothing). */
    private static final int HELPER_THREADS = 7;

    private final Journal journal;
    private final int maxQueuedRequests;
    private final Thread thread;
    /** Forces partitions concurrently with the forcer thread (they wait on the disk, not the CPU). */
    private final ThreadPoolExecutor helpers;

    private final Object lock = new Object();
    // Guarded by lock.
    private final ArrayDeque<Drain> queued = new ArrayDeque<>();
    private final ArrayDeque<Drain> free = new ArrayDeque<>();
    private int queuedRequests;
    private int inFlight; // drains handed over and not yet completed
    private boolean stopping;

    // Forcer thread state.
    private final List<Drain> group = new ArrayList<>();
    private final Map<PartitionLog, PartitionWrites> writes = new IdentityHashMap<>();

    Forcer(Journal journal, int maxQueuedRequests, ThreadFactory threadFactory) {
        this.journal = journal;
        this.maxQueuedRequests = maxQueuedRequests;
        ThreadPoolExecutor pool = new ThreadPoolExecutor(HELPER_THREADS, HELPER_THREADS, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), threadFactory);
        pool.prestartAllCoreThreads(); // all at open: the log's threads do not change while it is open
        this.helpers = pool;
        this.thread = threadFactory.newThread(this::run);
        thread.start();
    }

    /**
     * Hands {@code drain} (written, not yet forced) over to be forced and completed; returns an
     * empty drain for the journal to fill next. Blocks while too many requests wait for a force.
     */
    Drain handOver(Drain drain) {
        synchronized (lock) {
            boolean interrupted = false;
            while (queuedRequests >= maxQueuedRequests && !stopping) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    interrupted = true; // the journal must not drop a written drain: finish handing it over
                }
            }
            queued.add(drain);
            queuedRequests += drain.requestCount();
            inFlight++;
            lock.notifyAll();
            Drain next = free.poll();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return next != null ? next : new Drain();
        }
    }

    /** Waits until every drain handed over is completed (journal: before a task, at close). */
    void awaitCompleted() {
        synchronized (lock) {
            boolean interrupted = false;
            while (inFlight > 0) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    interrupted = true; // a task must never run before the drains before it are completed
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Completes what was handed over, then stops the thread. */
    void close() {
        synchronized (lock) {
            stopping = true;
            lock.notifyAll();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(60));
            helpers.shutdown();
            helpers.awaitTermination(10, TimeUnit.SECONDS); // a closed log leaves no thread behind
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            helpers.shutdown();
        }
    }

    private void run() {
        AppendFuture.markCompletingThread("journal-force");
        while (true) {
            synchronized (lock) {
                while (queued.isEmpty() && !stopping) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        // only close() stops the forcer: drains handed over are always completed
                    }
                }
                if (queued.isEmpty()) {
                    return;
                }
                group.addAll(queued);
                queued.clear();
                queuedRequests = 0;
                lock.notifyAll(); // the journal may hand over again
            }
            try {
                forceAndComplete();
            } catch (Throwable t) {
                LOG.error("forcer failed", t); // a bug: complete nothing more as durable
                journal.fail(new DurabilityFailureException("the forcer failed (" + t
                        + "); the log stops acknowledging: close and reopen it to recover", t));
                for (Drain d : group) {
                    d.complete(journal.failure());
                }
            }
            synchronized (lock) {
                for (Drain d : group) {
                    d.clear();
                    free.add(d);
                }
                inFlight -= group.size();
                lock.notifyAll();
            }
            group.clear();
        }
    }

    private void forceAndComplete() {
        boolean ackFirst = Journal.ackBeforeForceForTesting; // the deliberately broken variant
        Throwable error = journal.failure();
        if (error == null && !ackFirst) {
            force();
            error = journal.failure();
        }
        for (Drain d : group) {
            if (error == null) {
                d.publish();
            }
            d.complete(error);
        }
        if (ackFirst && error == null) {
            force();
        }
    }

    /**
     * Forces every segment the group wrote and counts it durable, the partitions concurrently (their
     * files are independent, and concurrent fdatasyncs share the file system's journal commits);
     * a failure is fatal.
     */
    private void force() {
        writes.clear();
        for (Drain d : group) {
            for (int i = 0; i < d.partitionCount(); i++) {
                PartitionWrites w = writes.computeIfAbsent(d.partition(i), PartitionWrites::new);
                d.addWrittenSegments(i, w.segments);
                w.end = Math.max(w.end, d.end(i));
            }
        }
        List<Future<?>> running = new ArrayList<>(writes.size());
        PartitionWrites here = null;
        for (PartitionWrites w : writes.values()) {
            if (here == null) {
                here = w; // the forcer forces one partition itself
            } else {
                running.add(helpers.submit(w::force));
            }
        }
        if (here != null) {
            here.force();
        }
        boolean interrupted = false;
        for (Future<?> f : running) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // wait on regardless: nothing is acknowledged before every force returned
                } catch (ExecutionException e) {
                    throw new IllegalStateException("force task failed", e.getCause()); // force() catches its errors
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        for (PartitionWrites w : writes.values()) {
            if (w.error != null) {
                journal.fail(new DurabilityFailureException("force of " + w.segments + " failed: "
                        + w.error.getMessage() + "; the kernel may have dropped the written pages, so the log stops"
                        + " acknowledging: close and reopen it to recover", w.error));
                return;
            }
        }
    }

    /** What one partition wrote in the drains of a group, and the outcome of forcing it. */
    private static final class PartitionWrites {
        final PartitionLog partition;
        final List<Segment> segments = new ArrayList<>(2);
        long end;
        Exception error;

        PartitionWrites(PartitionLog partition) {
            this.partition = partition;
        }

        void force() {
            try {
                partition.force(segments);
                partition.markDurable(end);
            } catch (IOException | RuntimeException e) {
                error = e;
            }
        }
    }
}
