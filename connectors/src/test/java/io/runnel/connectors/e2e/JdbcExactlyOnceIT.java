package io.runnel.connectors.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once into SQLite and PostgreSQL across SIGKILLs: a child-JVM job sums generated sales
 * per user and minute into a table while the test kills it at random moments, 10+ times, then lets
 * it finish. The table must equal the reference computed directly from the generator: 0 missing,
 * 0 duplicates (primary key), every sum equal. Sizes: {@code -Drunnel.test.eoEvents=} (default
 * 2*10^5 events, 10^5 results), {@code -Drunnel.test.eoKills=} (default 10), {@code -Dseed=}.
 */
class JdbcExactlyOnceIT {
    private static final long EVENTS = Long.getLong("runnel.test.eoEvents", 200_000);
    private static final int KILLS = Integer.getInteger("runnel.test.eoKills", 10);
    private static final long SEED = Long.getLong("seed", System.nanoTime());

    @TempDir
    Path dir;

    @Test
    void shouldWriteExactlyOnceIntoSqliteAcrossKills() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("totals.db");
        runAndCheck(url);
    }

    @Test
    void shouldWriteExactlyOnceIntoPostgresAcrossKills() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "on").start()) {
            runAndCheck("jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres?user=postgres");
        }
    }

    /** The checker is able to fail: an append-only sink without a key duplicates the replayed results. */
    @Test
    void checkerShouldFindDuplicatesOfAnAppendOnlySink() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("broken.db");
        double rate = 6_000 / 5.0;
        ChildJob job = new ChildJob(Files.createDirectories(dir.resolve("broken-logs")), "jdbc-broken-append", url,
                dir.resolve("broken-state").toString(), "6000", Double.toString(rate));
        // Each run is killed shortly after it has inserted rows of its own: rows inserted since the
        // last completed checkpoint are inserted again by the next run.
        int killed = job.runWithKills(2, Duration.ofMillis(100), Duration.ofMillis(300), SEED, Duration.ofMinutes(2),
                () -> rowCount(url));
        assertThat(killed).as("runs killed").isEqualTo(2);
        long rows;
        long distinct;
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT customer || '@' || window_start) FROM totals")) {
            rs.next();
            rows = rs.getLong(1);
            distinct = rs.getLong(2);
        }
        assertThat(rows).as("rows of the append-only sink after kills (duplicates expected)").isGreaterThan(distinct);
    }

    private static long rowCount(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM sqlite_master WHERE name = 'totals'")) {
            rs.next();
            if (rs.getLong(1) == 0) {
                return 0;
            }
        }
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM totals")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void runAndCheck(String url) throws Exception {
        System.out.printf("exactly-once %s: seed=%d events=%d kills=%d (re-run with -Dseed=%d)%n", url, SEED, EVENTS, KILLS, SEED);
        Path logs = Files.createDirectories(dir.resolve("logs"));
        // Paced so that a whole run needs (1.2 * kills + 6) s of running: each killed run lives at most
        // 1.2 s, so the job cannot finish before the last kill, and the last run has work left.
        double rate = EVENTS / (1.2 * KILLS + 6);
        ChildJob job = new ChildJob(logs, "jdbc", url, dir.resolve("state").toString(), Long.toString(EVENTS), Double.toString(rate));
        long start = System.nanoTime();
        int killed = job.runWithKills(KILLS, Duration.ofMillis(400), Duration.ofMillis(1200), SEED, Duration.ofMinutes(5));
        System.out.printf("exactly-once %s: %d kills, finished in %.1f s%n", url, killed, (System.nanoTime() - start) / 1e9);

        Map<String, Long> expected = ExactlyOnceJob.reference(EVENTS);
        Map<String, Long> actual = new HashMap<>();
        long rows = 0;
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT customer, window_start, amount FROM totals")) {
            while (rs.next()) {
                rows++;
                actual.merge(rs.getString(1) + "@" + rs.getLong(2), rs.getLong(3), Long::sum);
            }
        }
        assertThat(killed).as("runs killed").isEqualTo(KILLS);
        assertThat(expected).as("reference results").hasSizeGreaterThanOrEqualTo((int) (EVENTS / 2));
        assertThat(rows).as("rows (a duplicate key would be a second row)").isEqualTo(actual.size());
        Map<String, Long> missing = new HashMap<>(expected);
        missing.keySet().removeAll(actual.keySet());
        assertThat(missing).as("missing results").isEmpty();
        assertThat(actual).as("results").isEqualTo(expected);
        assertThat(actual.values().stream().mapToLong(Long::longValue).sum()).as("sum of all amounts")
                .isEqualTo(expected.values().stream().mapToLong(Long::longValue).sum());
    }
}
