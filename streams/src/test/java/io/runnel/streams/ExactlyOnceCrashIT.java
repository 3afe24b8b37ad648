package io.runnel.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once state: a job with tumbling, hopping and session windows and per-sub-key process state
 * over generated events with per-key sequence numbers runs in a child JVM that is killed with SIGKILL
 * again and again (most kills right after a checkpoint completed), each restart with a random
 * parallelism and with its keyed state (windows, sessions, process state) on the heap or on disk
 * behind a cache far smaller than it ({@code JobConfig.withStateMemoryLimit}); the committed results
 * equal the single-pass reference.
 * {@code -Drunnel.test.kills=N} sets the number of kills.
 */
class ExactlyOnceCrashIT {

    private static final long PER_SPLIT = Long.getLong("runnel.test.crash.perSplit", 16_000);
    private static final long RATE = Long.getLong("runnel.test.crash.rate", 2_500);
    /** Keyed-state entries per task on the heap (0: all of it): the job has 40 keys x 200 sub-keys x 2 states, and 40 keys x 3 windowed states. */
    private static final long[] STATE_LIMITS = {0, 50, 500};

    @TempDir
    Path dir;

    @Test
    void shouldCommitExactlyTheSinglePassResultsDespiteRepeatedSigkills() throws Exception {
        long seed = Seeds.base("exactly-once crash");
        Random rnd = new Random(seed);
        Path state = dir.resolve("state");
        Path out = dir.resolve("out");
        int kills = Integer.getInteger("runnel.test.kills", 16);
        int afterCheckpoint = 0;
        List<String> runs = new ArrayList<>();
        for (int k = 0; k < kills; k++) {
            int p = 1 + rnd.nextInt(3);
            long limit = STATE_LIMITS[rnd.nextInt(STATE_LIMITS.length)];
            runs.add(p + (limit > 0 ? "/disk" + limit : "/heap"));
            long before = ChildJob.latestCheckpoint(state);
            Process child = ChildJob.start(state, out, p, PER_SPLIT, RATE, limit);
            boolean waitForCheckpoint = rnd.nextInt(10) != 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            if (waitForCheckpoint) {
                while (ChildJob.latestCheckpoint(state) <= before && child.isAlive() && System.nanoTime() < deadline) {
                    child.waitFor(2, TimeUnit.MILLISECONDS);
                }
            } else {
                child.waitFor(100 + rnd.nextInt(700), TimeUnit.MILLISECONDS);
            }
            child.waitFor(rnd.nextInt(150), TimeUnit.MILLISECONDS);
            assertThat(child.isAlive()).as("the job must still run at kill %s (raise perSplit or lower the rate)", k).isTrue();
            boolean checkpointDone = ChildJob.latestCheckpoint(state) > before;
            child.destroyForcibly().waitFor();
            if (checkpointDone) {
                afterCheckpoint++;
            }
        }
        System.out.println("killed " + kills + " times (" + afterCheckpoint + " after a completed checkpoint), parallelism/state " + runs);
        assertThat(afterCheckpoint).as("kills after a completed checkpoint").isGreaterThan(kills / 2);
        Process last = ChildJob.start(state, out, 1 + rnd.nextInt(3), PER_SPLIT, RATE, 100);
        assertThat(last.waitFor(180, TimeUnit.SECONDS)).as("final run finishes").isTrue();
        assertThat(last.exitValue()).as("exit code: %s", ChildJob.log(out)).isZero();
        assertThat(out.resolve("DONE")).exists();
        try (var files = Files.walk(state.resolve("store"))) {
            assertThat(files.filter(f -> f.toString().endsWith(".data")).count()).as("key-group files of the last run").isPositive();
        }
        List<String> expected = CrashJob.reference(PER_SPLIT);
        assertExactlyOnce(StagedFileSink.committedLines(out), expected);

        // running the finished job again does nothing
        Files.delete(out.resolve("DONE"));
        Process again = ChildJob.start(state, out, 2, PER_SPLIT, RATE);
        assertThat(again.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(again.exitValue()).isZero();
        assertExactlyOnce(StagedFileSink.committedLines(out), expected);
    }

    static void assertExactlyOnce(List<String> actual, List<String> expected) {
        Map<String, Integer> counts = new HashMap<>();
        actual.forEach(l -> counts.merge(l, 1, Integer::sum));
        List<String> duplicated = counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).sorted().toList();
        assertThat(duplicated).as("no duplicates (%s of %s results repeated)", duplicated.size(), actual.size()).isEmpty();
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(counts.keySet());
        Set<String> extra = new TreeSet<>(counts.keySet());
        extra.removeAll(new HashSet<>(expected));
        assertThat(missing).as("committed results equal the single-pass reference: %s of %s missing", missing.size(), expected.size())
                .isEmpty();
        assertThat(extra).as("committed results equal the single-pass reference: %s unexpected", extra.size()).isEmpty();
    }

    /** The check catches a sink that publishes on write (at-least-once): replays after kills duplicate results. */
    @Test
    void exactlyOnceCheckShouldCatchAnAtLeastOnceSink() throws Exception {
        Path out = dir.resolve("direct");
        Files.createDirectories(out.resolve("committed"));
        List<String> lines = new ArrayList<>(CrashJob.reference(2000));
        // what an at-least-once sink leaves after a crash: the results since the last checkpoint, twice
        lines.addAll(lines.subList(lines.size() - 50, lines.size()));
        assertThatThrownBy(() -> assertExactlyOnce(lines, CrashJob.reference(2000))).isInstanceOf(AssertionError.class)
                .hasMessageContaining("no duplicates");
        List<String> missing = new ArrayList<>(CrashJob.reference(2000));
        missing.remove(7);
        assertThatThrownBy(() -> assertExactlyOnce(missing, CrashJob.reference(2000))).isInstanceOf(AssertionError.class)
                .hasMessageContaining("single-pass reference");
    }
}
