package io.runnel.examples.common;

import io.runnel.streams.JobConfig;
import io.runnel.streams.JobFailedException;
import io.runnel.streams.RunningJob;
import io.runnel.streams.StreamJob;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A started job and how it ends: by itself (a bounded input is done) or stopped by SIGTERM or
 * Ctrl-C. A shutdown hook then closes what feeds the job (the HTTP endpoint), stops the job
 * gracefully (final checkpoint, sinks committed) and waits until the main thread has finished what
 * comes after the job (dead letters, summary) and {@link #close closed} the run, so the JVM does
 * not exit half-way through it. For one main thread.
 */
final class JobRun implements AutoCloseable {

    /** How long the hook waits for the main thread's last steps after the job stopped. */
    private static final long FINISH_TIMEOUT_SECONDS = 60;

    private final RunningJob running;
    private final Thread hook;
    private final CountDownLatch mainDone = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile AutoCloseable feed;

    private JobRun(RunningJob running, JobConfig config) {
        this.running = running;
        this.hook = config.threadFactory().newThread(this::stopOnSignal);
    }

    /** Starts {@code job} with {@code config} (whose own stop-on-shutdown must be off) and takes over SIGTERM. */
    static JobRun start(StreamJob job, JobConfig config) {
        JobRun run = new JobRun(job.start(config), config);
        Runtime.getRuntime().addShutdownHook(run.hook);
        return run;
    }

    /** What feeds the job and must be closed before it stops (closed at once if a stop already began). */
    void feedFrom(AutoCloseable source) throws Exception {
        feed = source;
        if (stopping) {
            source.close();
        }
    }

    private void stopOnSignal() {
        stopping = true;
        AutoCloseable f = feed;
        try {
            if (f != null) {
                f.close();
            }
        } catch (Exception e) {
            // stopping anyway: the job's final checkpoint matters more
        }
        try {
            running.stop();
        } catch (RuntimeException failed) {
            // the main thread reports the job's failure
        }
        try {
            mainDone.await(FINISH_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits until the job ends: true if it ended by itself, false if a signal stopped it.
     *
     * @throws JobFailedException if it failed
     */
    boolean await() {
        try {
            running.completion().join();
        } catch (CompletionException e) {
            if (stopping) {
                return false;
            }
            throw e.getCause() instanceof JobFailedException f ? f
                    : new JobFailedException("job '" + running.name() + "' failed: " + e.getCause(), e.getCause());
        }
        if (stopping) {
            return false;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            return false; // the hook is running: treat it as stopped
        }
        return true;
    }

    /** Cancels the job (a failure before it got going). */
    void cancel() {
        running.cancel();
    }

    /** The main thread is done: a waiting shutdown hook may let the JVM exit. */
    @Override
    public void close() {
        mainDone.countDown();
    }
}
