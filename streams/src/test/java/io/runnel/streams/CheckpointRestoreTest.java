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

    /** Running sums (emitted every 25th event) and an event-time timer per event, in checkpointed state. */
    static final class SumsAndTimers implements KeyedProcessor<String, Ev, String> {
        private ValueState<Long> sum;
        private MapState<Long, Boolean> seen;

        @Override
        public void open(ProcessorContext<String, String> ctx) {
            sum = ctx.valueState("sum");
            seen = ctx.mapState("seen");
        }

        @Override
        public void process(Ev e, ProcessorContext<String, String> ctx) {
            long s = sum.valueOr(0L) + e.seq();
            sum.update(s);
            seen.put(e.seq() % 5, true);
            if (e.seq() % 25 == 0) {
                ctx.emit("sum " + ctx.key() + " " + e.seq() + " " + s + " " + seen.entries().size());
            }
            ctx.registerEventTimeTimer(e.ts() / 1000 * 1000 + 1000);
        }

        @Override
        public void onTimer(long timeMs, TimeDomain domain, ProcessorContext<String, String> ctx) {
            ctx.emit("timer " + ctx.key() + " " + timeMs); // not the sum: when W passes depends on poll batches
        }
    }

    private static StreamJob processAndJoins(Path out, long perSplit, long rate) {
        SequenceSource src = new SequenceSource("sequence", 4, perSplit, rate);
        StreamJob job = StreamJob.named("process-and-joins");
        SourceStream<Ev> evs = job.source(src).withEventTime(Ev::ts, Duration.ofMillis(100));
        evs.keyBy(Ev::key).process(SumsAndTimers::new, StateOptions.named("sums-and-timers")).to(new StagedFileSink("process", out));
        evs.filter(e -> e.seq() % 2 == 0).keyBy(Ev::key)
                .join(evs.filter(e -> e.seq() % 3 == 0).keyBy(Ev::key), JoinWindow.within(Duration.ofMillis(150)),
                        (a, b) -> "pair " + a.key() + " " + a.seq() + " " + b.seq(), StateOptions.named("pair-join"))
                .to(new StagedFileSink("pairs", out));
        return job;
    }

    @Test
    void shouldRestoreProcessStateTimersAndJoinBuffersIntoAnotherParallelism() throws Exception {
        long perSplit = 3000;
        Path reference = dir.resolve("reference");
        processAndJoins(reference, perSplit, 0).run(JobConfig.defaults().withParallelism(1).withJmx(false));
        List<String> expected = StagedFileSink.committedLines(reference);
        assertThat(expected).anyMatch(l -> l.startsWith("timer")).anyMatch(l -> l.startsWith("pair"))
                .anyMatch(l -> l.startsWith("sum"));

        Path out = dir.resolve("out");
        RunningJob first = processAndJoins(out, perSplit, 3000).start(config(2));
        RuntimeTest.waitFor("3 checkpoints", Duration.ofSeconds(30), () -> first.metrics().checkpointsCompleted() >= 3);
        first.cancel();
        RunningJob second = processAndJoins(out, perSplit, 3000).start(config(3));
        RuntimeTest.waitFor("3 checkpoints", Duration.ofSeconds(30), () -> second.metrics().checkpointsCompleted() >= 3);
        second.stop();
        processAndJoins(out, perSplit, 0).run(config(1));
        ExactlyOnceCrashIT.assertExactlyOnce(StagedFileSink.committedLines(out), expected);
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
