package io.runnel.examples.webactivity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
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
 * The web-activity fat jar as a user runs it ({@code java -jar}), its tables compared with an
 * independent computation over the same input ({@link GeneratedClicks}).
 */
class WebActivityJarIT {

    static final String[] TABLES = {"page_views", "sessions", "top_pages", "unique_visitors"};
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path jar = JarProcess.jar("webActivity.jar");

    @TempDir
    Path dir;

    @Test
    void shouldComputeEveryTableOfAFileExactlyAndChangeNothingWhenRunAgain() throws Exception {
        Path input = dir.resolve("events.jsonl");
        GeneratedClicks clicks = GeneratedClicks.write(input, 11, 30_000, 4_000);
        String db = "jdbc:sqlite:" + dir.resolve("out.db");
        Path state = dir.resolve("state");
        String[] args = {"--input", input.toString(), "--jdbc", db, "--state-dir", state.toString()};

        JarProcess.Result first = JarProcess.run(jar, dir, TIMEOUT, args);
        assertThat(first.exitCode()).as(first.output()).isZero();
        assertThat(first.stdout()).contains("web-activity: done", "Top pages", "Unique visitors per hour", "Sessions");
        Map<String, List<List<Object>>> tables = DatabaseTables.read(db, TABLES);
        Map<String, Set<List<Object>>> expected = clicks.expectedTables();
        for (String table : TABLES) {
            DatabaseTables.assertSameRows(table, tables.get(table), expected.get(table));
        }
        assertDeadLetters(state, clicks);
        long delivered = tables.get("page_views").stream().mapToLong(row -> (Long) row.get(3)).sum();
        assertThat(delivered + clicks.malformedLines.size()).as("delivered + dead-lettered = input").isEqualTo(clicks.nonBlankLines);

        JarProcess.Result again = JarProcess.run(jar, dir, TIMEOUT, args);
        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(again.stdout()).contains("(0 appended now)");
        assertThat(DatabaseTables.read(db, TABLES)).isEqualTo(tables);

        // the same input at parallelism 2 (as bin/runnel run --parallelism 2 sets it), into H2 (where the
        // column sessions.user is a reserved word), gives the same tables
        String db2 = "jdbc:h2:" + dir.resolve("out2").toAbsolutePath();
        JarProcess.Result parallel = JarProcess.run(List.of("-Drunnel.job.parallelism=2"), jar, dir, TIMEOUT, "--input", input.toString(),
                "--jdbc", db2, "--state-dir", dir.resolve("state2").toString());
        assertThat(parallel.exitCode()).as(parallel.output()).isZero();
        assertThat(parallel.stdout()).contains("Sessions");
        Map<String, List<List<Object>>> tables2 = DatabaseTables.read(db2, TABLES);
        for (String table : TABLES) {
            DatabaseTables.assertSameRows(table, tables2.get(table), expected.get(table));
        }

        Path other = dir.resolve("other.jsonl");
        Files.writeString(other, "{\"ts\": 1, \"user\": \"u\", \"url\": \"/\"}\n");
        JarProcess.Result mismatch = JarProcess.run(jar, dir, TIMEOUT, "--input", other.toString(), "--jdbc", db, "--state-dir", state.toString());
        assertThat(mismatch.exitCode()).as(mismatch.output()).isEqualTo(3);
        assertThat(mismatch.stderr()).contains("holds a run over other input", "use another --state-dir");
    }

    static void assertDeadLetters(Path state, GeneratedClicks clicks) throws Exception {
        Set<Long> lines = new HashSet<>();
        for (String line : Files.readAllLines(state.resolve("dead-letters.jsonl"))) {
            JsonNode entry = JSON.readTree(line);
            assertThat(entry.get("position").asText()).isEqualTo("events.jsonl:" + entry.get("line").asLong());
            assertThat(entry.get("reason").asText()).isNotBlank();
            assertThat(lines.add(entry.get("line").asLong())).as("line " + entry.get("line") + " dead-lettered once").isTrue();
        }
        assertThat(lines).isEqualTo(clicks.malformedLines);
    }

    @Test
    void shouldCatchAWrongTableThroughTheIndependentComputation() throws Exception {
        // the comparison above would notice a wrong row: shown on a small run with one row changed afterwards
        Path input = dir.resolve("events.jsonl");
        GeneratedClicks clicks = GeneratedClicks.write(input, 12, 2_000, 4_000);
        String db = "jdbc:sqlite:" + dir.resolve("out.db");
        JarProcess.Result run = JarProcess.run(jar, dir, TIMEOUT, "--input", input.toString(), "--jdbc", db, "--state-dir",
                dir.resolve("state").toString());
        assertThat(run.exitCode()).as(run.output()).isZero();
        Map<String, Set<List<Object>>> expected = clicks.expectedTables();
        DatabaseTables.assertSameRows("sessions", DatabaseTables.read(db, "sessions").get("sessions"), expected.get("sessions"));
        try (Connection c = DriverManager.getConnection(db)) {
            c.createStatement().executeUpdate("UPDATE sessions SET session_end = session_end - 1 WHERE rowid = 1");
        }
        assertThatThrownBy(() -> DatabaseTables.assertSameRows("sessions", DatabaseTables.read(db, "sessions").get("sessions"),
                expected.get("sessions"))).isInstanceOf(AssertionError.class).hasMessageContaining("missing 1");
    }

    @Test
    void shouldRunTheDemoWithoutArgumentsInTheWorkingDirectory() throws Exception {
        JarProcess.Result demo = JarProcess.run(jar, dir, TIMEOUT);
        assertThat(demo.exitCode()).as(demo.output()).isZero();
        assertThat(demo.stdout()).contains("demo-clickstream", "Top pages (all hours)", "Unique visitors per hour (UTC)",
                "2025-03-03 08:00", "Sessions");
        Map<String, List<List<Object>>> tables = DatabaseTables.read("jdbc:sqlite:" + dir.resolve("web-activity.db"), TABLES);
        assertThat(tables.get("unique_visitors")).hasSize(4);
        assertThat(tables.get("sessions").size()).isGreaterThan(6_000);
        assertThat(dir.resolve("web-activity-state").resolve("dead-letters.jsonl")).isRegularFile();
    }

    @Test
    void shouldRefuseAWrongCommandLineWithExitCodeTwoNamingTheFlag() throws Exception {
        JarProcess.Result typo = JarProcess.run(jar, dir, TIMEOUT, "--inptu", "events.jsonl");
        assertThat(typo.exitCode()).isEqualTo(2);
        assertThat(typo.stderr()).contains("unknown flag '--inptu': did you mean --input?");

        JarProcess.Result duration = JarProcess.run(jar, dir, TIMEOUT, "--out-of-orderness", "5");
        assertThat(duration.exitCode()).isEqualTo(2);
        assertThat(duration.stderr()).contains("--out-of-orderness: '5' is not a duration (the number 5 has no unit): write a number and a unit");

        JarProcess.Result missing = JarProcess.run(jar, dir, TIMEOUT, "--input", "no-such.jsonl");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.stderr()).contains("--input: there is no file");

        JarProcess.Result jdbc = JarProcess.run(jar, dir, TIMEOUT, "--jdbc", "jdbc:mysql://db/x");
        assertThat(jdbc.exitCode()).isEqualTo(2);
        assertThat(jdbc.stderr()).contains("--jdbc: ", "jdbc:mysql://db/x");

        JarProcess.Result help = JarProcess.run(jar, dir, TIMEOUT, "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.stdout()).contains("Usage: java -jar web-activity.jar", "--out-of-orderness <duration>", "Exit codes",
                "With --http it runs until stopped", "exits with 143 (130 for Ctrl-C)");
        assertThat(dir.resolve("web-activity-state")).as("nothing started").doesNotExist();
    }
}
