package io.runnel.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.streams.internal.checkpoint.CheckpointStorage;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM halts at each step of writing a checkpoint (state file written, forced, directory
 * forced, manifest temp written, forced, renamed, directory forced, pruned); the restart loads a
 * complete checkpoint and the job's committed results equal the reference. The crashing run keeps its
 * keyed state (windows, sessions, process state) on disk (a cache of 50 entries per task); the restart
 * on disk or on the heap by turns.
 */
class CheckpointStepCrashIT {

    /** Two seconds of input: time for three checkpoints (100 ms apart) even when forcing their files is slow. */
    private static final long PER_SPLIT = 6_000;
    private static final long RATE = 3_000;

    @TempDir
    Path dir;

    @Test
    void shouldRestoreACompleteCheckpointAfterACrashAtEveryStepOfWritingOne() throws Exception {
        for (CheckpointStorage.Step step : CheckpointStorage.Step.values()) {
            Path state = dir.resolve(step.name()).resolve("state");
            Path out = dir.resolve(step.name()).resolve("out");
            Process crashing = ChildJob.start(state, out, 2, PER_SPLIT, RATE, 50, "-Drunnel.streams.test.crashAt=" + step + "@3");
            assertThat(crashing.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(crashing.exitValue()).as("halted at %s: %s", step, ChildJob.log(out)).isEqualTo(99);
            long latest = ChildJob.latestCheckpoint(state);
            assertThat(latest).as("after a crash at %s", step).isBetween(2L, 3L);
            Process rest = ChildJob.start(state, out, 3, PER_SPLIT, RATE, step.ordinal() % 2 == 0 ? 100 : 0);
            assertThat(rest.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(rest.exitValue()).as("restart after %s: %s", step, ChildJob.log(out)).isZero();
            ExactlyOnceCrashIT.assertExactlyOnce(StagedFileSink.committedLines(out), CrashJob.reference(PER_SPLIT));
        }
    }
}
