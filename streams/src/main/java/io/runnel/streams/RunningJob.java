package io.runnel.streams;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A job started with {@link StreamJob#start()}. Thread-safe.
 */
public interface RunningJob {

    String name();

    /**
     * Stops gracefully and waits: sources stop after a final checkpoint, every task snapshots its state,
     * sinks prepare and commit. Returns once every thread has ended; rethrows the job's failure if it failed.
     */
    void stop();

    /** Stops at once without a checkpoint (state resumes from the last complete one). */
    void cancel();

    /**
     * Waits until the job ends (bounded input finished, stopped, or failed).
     *
     * @return whether it ended within {@code timeout}
     * @throws JobFailedException if it failed
     */
    boolean await(Duration timeout) throws InterruptedException;

    /** Completes when the job ends; exceptionally with a {@link JobFailedException} if it failed. */
    CompletableFuture<Void> completion();

    /** The job's metrics now. */
    JobMetrics metrics();
}
