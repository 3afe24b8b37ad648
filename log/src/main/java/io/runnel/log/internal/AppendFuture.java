package io.runnel.log.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The future of one append. Appends complete on the log's own threads (the journal, or the forcer
 * under FSYNC), which also run the callbacks chained to these futures; a callback that waits for
 * an append that is not complete yet would wait for its own thread. {@link #get} and {@link #join}
 * on such a thread fail at once with the reason instead of hanging (Kafka's producer hangs there),
 * on this future and on the stages chained to it.
 */
final class AppendFuture<T> extends CompletableFuture<T> {

    /** Marks the log threads that complete appends (set once by each such thread on start). */
    private static final ThreadLocal<String> COMPLETING = new ThreadLocal<>();

    /** Marks the calling thread as one that completes appends, in the role named. */
    static void markCompletingThread(String role) {
        COMPLETING.set(role);
    }

    /** Whether the calling thread completes appends (a journal or forcer thread of some log). */
    static boolean onCompletingThread() {
        return COMPLETING.get() != null;
    }

    /**
     * Throws if the calling thread completes appends: waiting there for one ({@code what}) would
     * wait for itself, or stall every producer of its log.
     */
    static void checkMayWait(String what) {
        String role = COMPLETING.get();
        if (role != null) {
            throw new IllegalStateException(what + " on the log's " + role + " thread (" + Thread.currentThread().getName()
                    + "), which completes appends and runs the callbacks chained to their futures: it would wait for"
                    + " itself. Keep callbacks short and non-blocking; wait or flush from a thread of your own, or"
                    + " hand the work to an executor (future.whenCompleteAsync(action, executor))");
        }
    }

    /** Stages chained to this future ({@code thenApply}, ...) are guarded the same way. */
    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new AppendFuture<>();
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        if (!isDone()) {
            checkMayWait("waiting for a send's future");
        }
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        if (!isDone()) {
            checkMayWait("waiting for a send's future");
        }
        return super.get(timeout, unit);
    }

    @Override
    public T join() {
        if (!isDone()) {
            checkMayWait("waiting for a send's future");
        }
        return super.join();
    }
}
