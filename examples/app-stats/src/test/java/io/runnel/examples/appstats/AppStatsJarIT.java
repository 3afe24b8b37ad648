package io.runnel.examples.appstats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.runnel.examples.common.DatabaseTables;
import io.runnel.examples.common.JarProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The app-stats fat jar as a user runs it ({@code java -jar}), its tables compared with an
 * independent computation over the same input ({@link GeneratedRequests}).
 */
class AppStatsJarIT {

    private static final String[] TABLES = {"alerts", "endpoint_stats"};
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    private final Path jar = JarProcess.jar("appStats.jar");

    @TempDir
    Path dir;

    @Test
    void shouldComputeStatisticsAndAlertsOfAFileExactlyAndChangeNothingWhenRunAgain() throws Exception {
        Path input = dir.resolve("requests.jsonl");
        GeneratedRequests requests = GeneratedRequests.write(input, 21, 40_000, 9_000);
        String db = "jdbc:sqlite:" + dir.resolve("out.db");
        Path state = dir.resolve("state");
        // events up to 9 s out of order need a wider bound than the default 5 s
        String[] args = {"--input", input.toString(), "--jdbc", db, "--state-dir", state.toString(), "--out-of-orderness", "10s",
            "--alert-error-rate", "0.1"};

        JarProcess.Result first = JarProcess.run(jar, dir, TIMEOUT, args);
        assertThat(first.exitCode()).as(first.output()).isZero();
        Map<String, List<List<Object>>> tables = DatabaseTables.read(db, TABLES);
        Map<String, Set<List<Object>>> expected = requests.expectedTables(10);
        for (String table : TABLES) {
            DatabaseTables.assertSameRows(table, tables.get(table), expected.get(table));
        }
        assertThat(expected.get("alerts")).as("the input has windows over the threshold").hasSizeGreaterThan(5);
        assertThat(first.stdout().lines().filter(l -> l.startsWith("ALERT ")).count()).isEqualTo(expected.get("alerts").size());
        assertThat(first.stdout()).contains("Busiest endpoints", "Alerts: " + expected.get("alerts").size() + " window(s)");

        Set<Long> deadLines = new HashSet<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(state.resolve("dead-letters.jsonl"))) {
            deadLines.add(json.readTree(line).get("line").asLong());
        }
        assertThat(deadLines).isEqualTo(requests.malformedLines);
        long delivered = tables.get("endpoint_stats").stream().mapToLong(row -> (Long) row.get(4)).sum();
        assertThat(delivered + deadLines.size()).as("delivered + dead-lettered = input").isEqualTo(requests.lines);

        JarProcess.Result again = JarProcess.run(jar, dir, TIMEOUT, args);
        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(DatabaseTables.read(db, TABLES)).isEqualTo(tables);

        // the comparison notices a wrong percentile
        try (Connection c = DriverManager.getConnection(db)) {
            c.createStatement().executeUpdate("UPDATE endpoint_stats SET p95 = p95 + 0.001 WHERE rowid = 7");
        }
        assertThatThrownBy(() -> DatabaseTables.assertSameRows("endpoint_stats", DatabaseTables.read(db, "endpoint_stats")
                .get("endpoint_stats"), expected.get("endpoint_stats"))).isInstanceOf(AssertionError.class);
    }

    @Test
    void shouldRunTheDemoAndRefuseABadThreshold() throws Exception {
        JarProcess.Result demo = JarProcess.run(jar, dir, TIMEOUT);
        assertThat(demo.exitCode()).as(demo.output()).isZero();
        assertThat(demo.stdout()).contains("ALERT 2025-03-03 09:1", "checkout /pay", "Busiest endpoints (all windows)");
        assertThat(DatabaseTables.read("jdbc:sqlite:" + dir.resolve("app-stats.db"), TABLES).get("alerts")).isNotEmpty();

        JarProcess.Result bad = JarProcess.run(jar, dir, TIMEOUT, "--alert-error-rate", "5");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.stderr()).contains("--alert-error-rate: '5' is not valid: write a fraction from 0 to 1 like 0.05, or a percentage like 5%");
    }
}
