package io.runnel.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.streams.internal.checkpoint.CheckpointManifest;
import io.runnel.streams.internal.checkpoint.CheckpointStorage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Restores in-process: into another parallelism, after a graceful stop or a cancel; incremental snapshots. */
class CheckpointRestoreTest {

    private static final long PER_SPLIT = 4000;

    @TempDir
    Path dir;

    private JobConfig config(int parallelism) {
        return JobConfig.defaults().withStateDir(dir.resolve("state")).withParallelism(parallelism)
                .withCheckpointInterval(Duration.ofMillis(30)).withJmx(false);
    }

    @Test
    void shouldGiveTheSameResultsAfterRestartingWithAnotherParallelism() throws Exception {
        Path out = dir.resolve("out");
        RunningJob first = CrashJob.build(out, PER_SPLIT, 4000).start(config(2));
        RuntimeTest.waitFor("3 checkpoints", Duration.ofSeconds(30), () -> first.metrics().checkpointsCompleted() >= 3);
        first.stop();   // graceful: final checkpoint, sinks committed
        assertThat(ChildJob.latestCheckpoint(dir.resolve("state"))).isGreaterThanOrEqualTo(4);

        RunningJob second = CrashJob.build(out, PER_SPLIT, 4000).start(config(3));
        RuntimeTest.waitFor("3 more checkpoints", Duration.ofSeconds(30), () -> second.metrics().checkpointsCompleted() >= 3);
        second.cancel(); // no final checkpoint: like a crash

        CrashJob.build(out, PER_SPLIT, 0).run(config(1));
        ExactlyOnceCrashIT.assertExactlyOnce(StagedFileSink.committedLines(out), CrashJob.reference(PER_SPLIT));
    }

    @Test
    void shouldDoNothingWhenAFinishedJobRunsAgain() throws Exception {
        Path out = dir.resolve("out");
        CrashJob.build(out, 500, 0).run(config(2));
        List<String> once = StagedFileSink.committedLines(out);
        CrashJob.build(out, 500, 0).run(config(3));
        assertThat(StagedFileSink.committedLines(out)).isEqualTo(once);
        ExactlyOnceCrashIT.assertExactlyOnce(once, CrashJob.reference(500));
    }

    @Test
    void shouldRefuseToStartFromScratchWhenEveryCheckpointIsDamaged() throws Exception {
        Path out = dir.resolve("out");
        CrashJob.build(out, 300, 0).run(config(1));
        try (var files = java.nio.file.Files.list(dir.resolve("state").resolve("checkpoints"))) {
            for (Path p : files.toList()) {
                java.nio.file.Files.write(p, new byte[] {1, 2, 3});
            }
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CrashJob.build(out, 300, 0).run(config(1)))
                .isInstanceOf(StreamsException.class).hasMessageContaining("none is complete");
    }

    /** A running sum per key in value state. */
    static final class Sum implements KeyedProcessor<String, Object, String> {
        private ValueState<Long> sum;

        @Override
        public void open(ProcessorContext<String, String> ctx) {
            sum = ctx.valueState("sum");
        }

        @Override
        public void process(Object value, ProcessorContext<String, String> ctx) {
            sum.update(sum.valueOr(0L) + 1);
        }
    }

    @Test
    void shouldNotRewriteKeyGroupsThatDidNotChange() throws Exception {
        List<Object> records = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            records.add("key-" + i);
        }
        ScriptedSource<String> src = new ScriptedSource<>("keys", List.of(records), ScriptedSource.After.CAUGHT_UP);
        StreamJob job = StreamJob.named("incremental");
        job.source(src).keyBy(r -> (String) r).process(Sum::new, StateOptions.named("sums")).to(CollectingSink.named("none"));
        RunningJob running = job.start(config(2));
        RuntimeTest.waitFor("all records", Duration.ofSeconds(20), () -> running.metrics().operator("sums").recordsIn() == 2000);
        long settled = running.metrics().lastCheckpointId() + 1;
        RuntimeTest.waitFor("5 more checkpoints", Duration.ofSeconds(20), () -> running.metrics().lastCheckpointId() >= settled + 5);
        assertThat(running.metrics().lastCheckpointSizeBytes()).as("only the manifest is written").isLessThan(40_000);
        running.stop();
        CheckpointManifest m = new CheckpointStorage(dir.resolve("state"), (s, id) -> { }).loadLatest().orElseThrow();
        assertThat(m.state().get("sums")).hasSize(128);
        assertThat(m.state().get("sums").values()).allSatisfy(ref ->
                assertThat(Long.parseLong(ref.file().substring(0, 20))).as("blob of an earlier checkpoint").isLessThanOrEqualTo(settled));
    }
}
