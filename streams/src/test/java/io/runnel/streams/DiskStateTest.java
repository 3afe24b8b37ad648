package io.runnel.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keyed state on disk ({@link JobConfig#withStateMemoryLimit}): the crash job's process state (8000
 * sub-keys x 2 states) and its tumbling, hopping and session window state behind caches of a few
 * dozen entries gives the brute-force reference's results, also across a stop, a cancel, rescales
 * and switches between heap and disk state.
 */
class DiskStateTest {

    @TempDir
    Path dir;

    private JobConfig config(int parallelism, long stateMemoryLimit) {
        JobConfig c = JobConfig.defaults().withStateDir(dir.resolve("state")).withParallelism(parallelism)
                .withCheckpointInterval(Duration.ofMillis(30)).withJmx(false);
        return stateMemoryLimit > 0 ? c.withStateMemoryLimit(stateMemoryLimit) : c;
    }

    @Test
    void shouldGiveTheReferenceResultsWithStateFarBeyondTheCache() throws Exception {
        Path out = dir.resolve("out");
        CrashJob.build(out, 3000, 0).run(config(2, 40));
        ExactlyOnceCrashIT.assertExactlyOnce(StagedFileSink.committedLines(out), CrashJob.reference(3000));
        assertThat(keyGroupFiles()).as("key-group files in the state directory").isNotEmpty();
    }

    @Test
    void shouldRestoreDiskStateIntoAnotherParallelismAndAcrossModes() throws Exception {
        long perSplit = 6000;
        Path out = dir.resolve("out");
        RunningJob first = CrashJob.build(out, perSplit, 3000).start(config(2, 50));
        waitForCheckpoints(first, 5);
        first.stop();
        // checkpoints write every changed entry: by state name, process states, aligned windows
        // ("windows") and sessions ("sessions")
        assertThat(keyGroupFiles().stream().map(f -> f.getParent().getFileName().toString().split("-")[0]))
                .as("states with key-group files").contains("totals", "last", "windows", "sessions");
        RunningJob second = CrashJob.build(out, perSplit, 3000).start(config(3, 0)); // heap
        waitForCheckpoints(second, 5);
        second.cancel();
        RunningJob third = CrashJob.build(out, perSplit, 3000).start(config(3, 20));
        waitForCheckpoints(third, 5);
        third.cancel(); // like a crash: the key-group files hold appends after the checkpoint
        CrashJob.build(out, perSplit, 0).run(config(1, 30));
        ExactlyOnceCrashIT.assertExactlyOnce(StagedFileSink.committedLines(out), CrashJob.reference(perSplit));
    }

    /** Waits for {@code n} checkpoints of the job (or its end: the source is bounded). */
    private static void waitForCheckpoints(RunningJob job, int n) throws InterruptedException {
        RuntimeTest.waitFor(n + " checkpoints", Duration.ofSeconds(30),
                () -> job.metrics().checkpointsCompleted() >= n || job.completion().isDone());
    }

    @Test
    void shouldRefuseAStateMemoryLimitWithoutAStateDirectory() {
        assertThatThrownBy(() -> CrashJob.build(dir.resolve("out"), 10, 0).run(JobConfig.defaults().withStateMemoryLimit(100).withJmx(false)))
                .isInstanceOf(StreamsException.class).hasMessageContaining("withStateDir");
        assertThatThrownBy(() -> JobConfig.defaults().withStateMemoryLimit(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1 entry per task");
        assertThatThrownBy(() -> JobTestDriver.of(CrashJob.build(dir.resolve("out"), 10, 0), JobConfig.defaults().withStateMemoryLimit(100)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("withStateDir");
    }

    private java.util.List<Path> keyGroupFiles() throws IOException {
        try (Stream<Path> s = Files.walk(dir.resolve("state").resolve("store"))) {
            return s.filter(p -> p.getFileName().toString().endsWith(".data")).toList();
        }
    }
}
