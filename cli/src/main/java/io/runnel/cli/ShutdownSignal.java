package io.runnel.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns SIGTERM/Ctrl-C into an orderly stop of a long-running command: a JVM shutdown hook runs
 * {@code onSignal} (wake the command up), then waits until the command says it has {@link #finished}
 * (output flushed, offsets committed, child stopped), at most {@code graceMs}. Created with
 * {@link #install}; {@link #close} removes the hook when the command ends by itself.
 */
final class ShutdownSignal implements AutoCloseable {
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;
    private volatile boolean received;

    private ShutdownSignal(Runnable onSignal, long graceMs) {
        this.hook = new Thread(() -> {
            received = true;
            onSignal.run();
            try {
                finished.await(graceMs, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "runnel-cli-shutdown");
    }

    /** Installs a hook that runs {@code onSignal} and then waits up to {@code graceMs} for {@link #finished}. */
    static ShutdownSignal install(Runnable onSignal, long graceMs) {
        ShutdownSignal s = new ShutdownSignal(onSignal, graceMs);
        Runtime.getRuntime().addShutdownHook(s.hook);
        return s;
    }

    /** Whether the JVM is shutting down because of a signal (or System.exit elsewhere). */
    boolean received() {
        return received;
    }

    /** The command has cleaned up: the hook may let the JVM exit. */
    void finished() {
        finished.countDown();
    }

    @Override
    public void close() {
        finished();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Shutdown in progress: the hook is running and returns now that we have finished.
        }
    }
}
