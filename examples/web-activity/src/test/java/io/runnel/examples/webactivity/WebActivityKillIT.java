package io.runnel.examples.webactivity;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.examples.common.DatabaseTables;
import io.runnel.examples.common.JarProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web-activity jar SIGKILLed at random moments (while it appends the file to the log, while the
 * job runs, while it checkpoints or writes SQLite) and run again with the same arguments until it
 * completes: the tables equal the independent computation exactly (nothing lost, nothing twice), rows
 * seen between kills are all final results, and a run after completion changes nothing and exits 0.
 * Runs alternate between parallelism 1 and 2, so restores also go into another parallelism.
 * {@code -Drunnel.test.kills=N} (default 8) sets the number of kills, {@code -Dseed=S} replays a run.
 */
class WebActivityKillIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    /** Frequent checkpoints, so kills land before, during and after them. */
    private static final List<String> JAVA_OPTIONS = List.of("-Drunnel.job.checkpointInterval=PT0.3S");

    private final Path jar = JarProcess.jar("webActivity.jar");

    @TempDir
    Path dir;

    @Test
    void shouldEndWithExactlyTheTablesOfAnUninterruptedRunHoweverOftenItIsKilled() throws Exception {
        long seed = Long.getLong("seed", System.nanoTime());
        int kills = Integer.getInteger("runnel.test.kills", 8);
        System.out.println("WebActivityKillIT seed=" + seed + " kills=" + kills + " (replay with -Dseed=" + seed + ")");
        Random random = new Random(seed);

        Path input = dir.resolve("events.jsonl");
        GeneratedClicks clicks = GeneratedClicks.write(input, seed, 100_000, 4_000);
        Map<String, Set<List<Object>>> expected = clicks.expectedTables();

        // how long an uninterrupted run takes here (in another state dir), to spread the kills over it
        long calibrationStart = System.nanoTime();
        JarProcess.Result calibration = JarProcess.run(JAVA_OPTIONS, jar, dir, TIMEOUT, "--input", input.toString(),
                "--jdbc", "jdbc:sqlite:" + dir.resolve("calibration.db"), "--state-dir", dir.resolve("calibration-state").toString());
        assertThat(calibration.exitCode()).as(calibration.output()).isZero();
        long fullRunMs = (System.nanoTime() - calibrationStart) / 1_000_000;

        String db = "jdbc:sqlite:" + dir.resolve("out.db");
        String[] args = {"--input", input.toString(), "--jdbc", db, "--state-dir", dir.resolve("state").toString()};
        int killed = 0;
        int killedWhileTheJobRan = 0;
        boolean completed = false;
        while (killed < kills && !completed) {
            // every other run with parallelism 2: a checkpoint restores into another parallelism too
            List<String> options = new ArrayList<>(JAVA_OPTIONS);
            options.add("-Drunnel.job.parallelism=" + (1 + killed % 2));
            JarProcess run = JarProcess.start(options, jar, dir, args);
            // the first kill early (while the input is appended), the others anywhere in what is left of a run
            long delayMs = (long) (fullRunMs * (killed == 0 ? 0.05 + 0.2 * random.nextDouble() : 0.1 + 0.4 * random.nextDouble()));
            if (run.waitFor(Duration.ofMillis(delayMs))) {
                JarProcess.Result r = run.result();
                assertThat(r.exitCode()).as(r.output()).isZero();
                completed = true;
                System.out.println("run " + (killed + 1) + " completed before its kill at " + delayMs + " ms");
                break;
            }
            run.kill();
            killed++;
            String stdout = run.result().stdout();
            boolean jobRan = stdout.contains("running the job");
            killedWhileTheJobRan += jobRan ? 1 : 0;
            System.out.println("kill " + killed + " after " + delayMs + " ms, " + (jobRan ? "while the job ran" : "before the job started"));
            Map<String, List<List<Object>>> partial = DatabaseTables.read(db, WebActivityJarIT.TABLES);
            for (String table : WebActivityJarIT.TABLES) {
                DatabaseTables.assertRowsAmong(table, partial.get(table), expected.get(table));
            }
        }
        System.out.println(killed + " kills, " + killedWhileTheJobRan + " while the job ran (an uninterrupted run took " + fullRunMs + " ms)");
        assertThat(killed).as("kills that hit a running process").isGreaterThan(0);

        JarProcess.Result last = JarProcess.run(JAVA_OPTIONS, jar, dir, TIMEOUT, args);
        assertThat(last.exitCode()).as(last.output()).isZero();
        Map<String, List<List<Object>>> tables = DatabaseTables.read(db, WebActivityJarIT.TABLES);
        for (String table : WebActivityJarIT.TABLES) {
            DatabaseTables.assertSameRows(table, tables.get(table), expected.get(table));
        }
        WebActivityJarIT.assertDeadLetters(dir.resolve("state"), clicks);

        JarProcess.Result again = JarProcess.run(JAVA_OPTIONS, jar, dir, TIMEOUT, args);
        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(again.stdout()).contains("(0 appended now)");
        assertThat(DatabaseTables.read(db, WebActivityJarIT.TABLES)).isEqualTo(tables);
    }
}
