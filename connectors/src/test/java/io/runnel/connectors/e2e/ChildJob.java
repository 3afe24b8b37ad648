package io.runnel.connectors.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link ExactlyOnceJob} in child JVMs and kills them with SIGKILL at random moments until a
 * run completes on its own. Each child's output goes to a log file next to the state directory.
 */
final class ChildJob {
    private final List<String> args;
    private final Path logDir;

    ChildJob(Path logDir, String... args) {
        this.args = List.of(args);
        this.logDir = logDir;
    }

    /** Starts a child; it resumes from the job's last checkpoint, if any. */
    Process start(int run) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ExactlyOnceJob.class.getName());
        command.addAll(args);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logDir.resolve("child-" + run + ".log").toFile()).start();
    }

    /** The last lines a child printed, for failure messages (the temporary directory is gone afterwards). */
    String tail(int run) throws IOException {
        List<String> lines = java.nio.file.Files.readAllLines(logDir.resolve("child-" + run + ".log"));
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /**
     * Kills {@code kills} runs at random moments (uniform in [minDelay, maxDelay) after start), then
     * lets the next run finish. Returns how many runs were actually killed before finishing.
     */
    int runWithKills(int kills, Duration minDelay, Duration maxDelay, long seed, Duration finishWithin) throws Exception {
        return runWithKills(kills, minDelay, maxDelay, seed, finishWithin, null);
    }

    /**
     * Like {@link #runWithKills(int, Duration, Duration, long, Duration)}, but when {@code progress} is given
     * (e.g. rows in the output), each run's kill delay counts from the moment the run has
     * made progress of its own (polled every 10 ms), not from the start of the JVM, whose start-up
     * time varies a lot on a loaded machine.
     */
    int runWithKills(int kills, Duration minDelay, Duration maxDelay, long seed, Duration finishWithin,
            Callable<Long> progress) throws Exception {
        Random random = new Random(seed);
        int killed = 0;
        int run = 0;
        while (killed < kills) {
            long before = progress == null ? 0 : progress.call();
            Process child = start(run++);
            while (progress != null && child.isAlive() && progress.call() == before) {
                child.waitFor(10, TimeUnit.MILLISECONDS);
            }
            long delayMs = minDelay.toMillis() + (long) (random.nextDouble() * (maxDelay.toMillis() - minDelay.toMillis()));
            if (child.waitFor(delayMs, TimeUnit.MILLISECONDS)) {
                if (child.exitValue() != 0) {
                    throw new AssertionError("child run " + (run - 1) + " failed with exit code " + child.exitValue() + ":\n" + tail(run - 1));
                }
                return killed; // finished before the kill: nothing left to kill
            }
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no close, no final checkpoint
            child.waitFor();
            killed++;
        }
        Process last = start(run);
        if (!last.waitFor(finishWithin.toMillis(), TimeUnit.MILLISECONDS)) {
            last.destroyForcibly();
            throw new AssertionError("the last run did not finish within " + finishWithin + ":\n" + tail(run));
        }
        if (last.exitValue() != 0) {
            throw new AssertionError("the last run failed with exit code " + last.exitValue() + ":\n" + tail(run));
        }
        return killed;
    }
}
