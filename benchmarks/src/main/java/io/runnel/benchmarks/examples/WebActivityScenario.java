package io.runnel.benchmarks.examples;

import io.runnel.benchmarks.BenchContext;
import io.runnel.benchmarks.BenchResult;
import io.runnel.benchmarks.Progress;
import io.runnel.benchmarks.Scenario;
import io.runnel.examples.webactivity.WebActivityBenchmark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code web-activity} (issue 5): the web-activity example end to end, as a user runs it with
 * {@code --input events.jsonl}: 10^6 page views from a JSON-lines file appended to the example's
 * log topic, read by its job (views per url and minute, unique visitors per hour, sessions, top
 * pages per hour, with checkpoints) and upserted into SQLite. It calls the example's own
 * {@link WebActivityBenchmark#run}, which writes the input file (not timed), times the whole run
 * and checks that {@code page_views} counts every event once. On top of that, this scenario
 * compares all four tables with a direct computation over the input file
 * ({@link WebActivityTables}). An untimed warm-up run over a tenth of the events (another seed)
 * comes first and is checked the same way.
 *
 * <p>No anchor: the issue asks for Runnel's events/s and wall time only.
 */
public final class WebActivityScenario implements Scenario {

    public static final String SYSTEM = "runnel";
    static final String VARIANT = "file-log-job-sqlite";

    @Override
    public String name() {
        return "web-activity";
    }

    @Override
    public String summary() {
        return "the web-activity example end to end: 10^6 events from a file through the log, the job and SQLite";
    }

    @Override
    public List<String> systems() {
        return List.of(SYSTEM);
    }

    @Override
    public String note() {
        return "No anchor: issue 5 asks for Runnel's events/s and wall time only. Wall time of the whole example"
                + " run (log, job with checkpoints, SQLite), the input file written before.";
    }

    @Override
    public void run(BenchContext context) {
        int events = Math.toIntExact(context.size(1_000_000, 20_000));
        long seed = context.options().seed();
        context.system(SYSTEM, () -> {
            context.variant(SYSTEM, "warm-up", () -> runChecked(context, "warmup", Math.max(1, events / 10), seed + 1));
            context.variant(SYSTEM, VARIANT, () -> {
                WebActivityBenchmark.Result result = runChecked(context, "measured", events, seed);
                context.report(BenchResult.of(name(), SYSTEM, VARIANT)
                        .config("parallelism", Integer.getInteger("runnel.job.parallelism", 1))
                        .config("source", "file")
                        .config("sink", "sqlite")
                        .measured(result.events(), result.seconds())
                        .build());
            });
        });
    }

    private static WebActivityBenchmark.Result runChecked(BenchContext context, String label, int events, long seed)
            throws Exception {
        Path dir = context.tempDir("web-activity-" + label);
        Progress.say("web-activity %s: %,d events (seed %d) in %s", label, events, seed, dir);
        WebActivityBenchmark.Result result = WebActivityBenchmark.run(dir.resolve("run"), events, seed);
        Progress.say("web-activity %s: ran in %.1f s; checking the tables", label, result.seconds());
        // The example's benchmark writes its input and database here (see WebActivityBenchmark.run).
        Path input = dir.resolve("run").resolve("events.jsonl");
        if (!Files.isRegularFile(input)) {
            throw new IllegalStateException("the example's input file " + input + " is gone: cannot check the tables");
        }
        WebActivityTables.read("jdbc:sqlite:" + dir.resolve("run").resolve("web-activity.db"))
                .verify(WebActivityTables.expected(input));
        BenchContext.deleteRecursively(dir);
        return result;
    }
}
