package io.runnel.benchmarks;

import io.runnel.benchmarks.latency.LatencyDistribution;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What a running scenario reports to and takes from the harness: the options, temporary
 * directories (deleted at the end), the RESULT output and the failures. Thread-safe for
 * {@link #report} and {@link #distribution}; the rest is used by the scenario's main thread.
 */
public final class BenchContext implements AutoCloseable {

    /** The work of one system; may throw anything, which marks the system failed. */
    @FunctionalInterface
    public interface SystemRun {
        void run() throws Exception;
    }

    private final BenchOptions options;
    private final PrintStream out;
    private final List<BenchResult> results = new ArrayList<>();
    private final Map<String, LatencyDistribution> distributions = new LinkedHashMap<>();
    private final List<String> failures = new ArrayList<>();
    private final List<Path> tempDirs = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    public BenchContext(BenchOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public BenchOptions options() {
        return options;
    }

    /** Picks the full or the {@code --quick} size, unless {@code --records} overrides both. */
    public long size(long full, long quick) {
        return options.size(full, quick);
    }

    /** Prints the RESULT line on standard output and keeps it for the report. */
    public synchronized void report(BenchResult result) {
        results.add(result);
        out.println(result.line());
        out.flush();
    }

    /** Keeps the percentile distribution of a latency result for the report. */
    public synchronized void distribution(BenchResult result, LatencyDistribution distribution) {
        distributions.put(key(result), distribution);
    }

    /**
     * Runs {@code run} if {@code system} is included. An exception marks the system failed (printed
     * as a {@code FAILED} line on standard error) and the scenario goes on with the next system.
     */
    public void system(String system, SystemRun run) {
        if (options.includes(system)) {
            attempt(system, null, run);
        }
    }

    /**
     * Runs one variant of a system: a failure marks only this variant failed, and the system goes
     * on with its next variant.
     */
    public void variant(String system, String variant, SystemRun run) {
        attempt(system, variant, run);
    }

    private void attempt(String system, String variant, SystemRun run) {
        String label = variant == null ? system : system + " " + variant;
        Progress.say("%s: %s starts", options.scenario(), label);
        long start = System.nanoTime();
        try {
            run.run();
            Progress.say("%s: %s done in %.1f s", options.scenario(), label, (System.nanoTime() - start) / 1e9);
        } catch (CheckFailedException e) {
            fail(system, variant, "check failed: " + e.getMessage(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(system, variant, "interrupted", e);
        } catch (Exception | Error e) {
            fail(system, variant, e.toString(), e);
        }
    }

    private synchronized void fail(String system, String variant, String reason, Throwable cause) {
        String line = "FAILED name=" + options.scenario() + " system=" + system
                + (variant == null ? "" : " variant=" + variant) + " reason: " + reason;
        failures.add(line);
        System.err.println(line);
        if (cause != null) {
            cause.printStackTrace(System.err);
        }
    }

    /** A fresh directory under {@code --dir}, deleted when the scenario ends. */
    public synchronized Path tempDir(String prefix) {
        try {
            Path dir = Files.createTempDirectory(options.dataDir(), "runnel-bench-" + prefix + "-");
            tempDirs.add(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory under " + options.dataDir()
                    + " (choose another with --dir)", e);
        }
    }

    public synchronized List<BenchResult> results() {
        return List.copyOf(results);
    }

    public synchronized Map<String, LatencyDistribution> distributions() {
        return Map.copyOf(distributions);
    }

    public synchronized List<String> failures() {
        return List.copyOf(failures);
    }

    /** The key under which a result's distribution is kept: {@code system/variant}. */
    public static String key(BenchResult result) {
        return result.system() + "/" + result.variant();
    }

    /** Closes {@code resource} when the scenario ends (also on Ctrl-C), before temp dirs go. */
    public synchronized <T extends AutoCloseable> T register(T resource) {
        closeables.add(resource);
        return resource;
    }

    @Override
    public synchronized void close() {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (Exception e) {
                Progress.say("closing %s failed: %s", closeables.get(i), e);
            }
        }
        closeables.clear();
        for (Path dir : tempDirs) {
            deleteRecursively(dir);
        }
        tempDirs.clear();
    }

    /** Deletes a directory tree, best effort (a benchmark must not fail on cleanup). */
    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    Progress.say("could not delete %s: %s", p, e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            Progress.say("could not delete %s: %s", dir, e);
        }
    }
}
