package io.runnel.examples.webactivity;

import io.runnel.examples.common.ExampleApp;
import io.runnel.examples.common.ExitCodes;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The web-activity benchmark: N page views (10^6 by default) from a JSON-lines file through the
 * example as a user runs it: appended to the log, read by the job, all four tables upserted into
 * SQLite, the summary queried. Measures the wall time of the whole run (the input file is written
 * before the clock starts), checks the result (every event counted once) and prints a line
 *
 * <pre>
 * RESULT name=web-activity system=runnel variant=file-log-job-sqlite records=1000000 seconds=.. records_per_s=.. parallelism=1
 * </pre>
 *
 * Run it with {@code java -cp examples/web-activity/target/web-activity.jar
 * io.runnel.examples.webactivity.WebActivityBenchmark [--events N] [--no-warmup] [--dir D]}, or call
 * {@link #run} (the benchmarks module does). A warm-up run over a tenth of the events comes first.
 */
public final class WebActivityBenchmark {

    /** What a run measured. */
    public record Result(long events, double seconds) {
        public double eventsPerSecond() {
            return events / seconds;
        }

        /** The RESULT line (docs: DESIGN.md section 7). */
        public String resultLine(int parallelism) {
            return String.format(Locale.ROOT, "RESULT name=web-activity system=runnel variant=file-log-job-sqlite records=%d seconds=%.3f"
                    + " records_per_s=%.0f parallelism=%d", events, seconds, eventsPerSecond(), parallelism);
        }
    }

    private WebActivityBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int events = 1_000_000;
        boolean warmup = true;
        Path dir = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--events" -> events = Integer.parseInt(args[++i]);
                case "--no-warmup" -> warmup = false;
                case "--dir" -> dir = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: WebActivityBenchmark [--events N] [--no-warmup] [--dir D]; unknown: " + args[i]);
                    System.exit(ExitCodes.USAGE);
                }
            }
        }
        boolean temporary = dir == null;
        Path work = temporary ? Files.createTempDirectory("web-activity-bench") : Files.createDirectories(dir);
        try {
            if (warmup) {
                run(work.resolve("warmup"), Math.max(1, events / 10), 2);
            }
            Result r = run(work.resolve("measured"), events, 1);
            System.out.println(r.resultLine(Integer.getInteger("runnel.job.parallelism", 1)));
        } finally {
            if (temporary) {
                deleteRecursively(work);
            }
        }
    }

    /**
     * Writes {@code events} page views to a file in {@code dir} (a new directory), runs the example
     * over it with its database and state in {@code dir}, checks that every event was counted once
     * and returns the wall time of the run.
     *
     * @throws IllegalStateException if the run fails or its result is wrong
     */
    public static Result run(Path dir, int events, long seed) throws IOException, SQLException {
        Files.createDirectories(dir);
        Path input = dir.resolve("events.jsonl");
        writeEvents(input, events, seed);
        String db = "jdbc:sqlite:" + dir.resolve("web-activity.db");
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
        long start = System.nanoTime();
        ExampleApp.Outcome outcome = new WebActivity().run(new String[] {"--input", input.toString(), "--jdbc", db,
            "--state-dir", dir.resolve("state").toString()}, quiet, System.err);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (outcome.exitCode() != ExitCodes.OK) {
            throw new IllegalStateException("the web-activity run failed with exit code " + outcome.exitCode());
        }
        long counted;
        try (Connection c = DriverManager.getConnection(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT SUM(views) FROM page_views")) {
            rs.next();
            counted = rs.getLong(1);
        }
        if (counted != events) {
            throw new IllegalStateException("page_views counts " + counted + " views of " + events + " events");
        }
        return new Result(events, seconds);
    }

    /**
     * Page views of 50,000 users over 100 urls (popular ones far more often), about 100 per second of
     * event time, up to 2 s out of order; written as they are made (no list in memory).
     */
    static void writeEvents(Path file, int events, long seed) throws IOException {
        Random random = new Random(seed);
        long ts = Clickstream.DEMO_START_MS;
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < events; i++) {
                ts += random.nextInt(20);
                int url = (int) StrictMath.floor(StrictMath.pow(101, random.nextDouble())); // about 1/rank popularity
                out.write("{\"ts\":" + (ts - random.nextInt(2_000)) + ",\"user\":\"user-" + random.nextInt(50_000)
                        + "\",\"url\":\"/page/" + url + "\",\"referrer\":\"\",\"userAgent\":\"bench\"}\n");
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
