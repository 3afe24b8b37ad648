package io.runnel.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Plans with several exchanges (a second keyBy after a window, a merge of streams from different
 * stages, a dead-letter chain in every stage): the threaded runtime at parallelism 1-3 gives what the
 * single-threaded driver gives.
 */
class MultiStageTest {

    static StreamJob build(CollectionSource<Ev> src, CollectingSink<String> out, CollectingSink<DeadLetter> dead) {
        StreamJob job = StreamJob.named("multi-stage", JobConfig.defaults().withBadDataPolicy(BadDataPolicy.DEAD_LETTER));
        SourceStream<Ev> evs = job.source(src).withEventTime(Ev::ts, Duration.ofMillis(50));
        EventStream<String> perGroup = evs.keyBy(Ev::key)
                .window(Windows.tumbling(Duration.ofMillis(100))).count()
                .map(r -> {
                    if (r.value() % 7 == 3) {
                        throw new IllegalStateException("unlucky count " + r.value());
                    }
                    return r;
                })
                .keyBy(r -> r.key().substring(0, 2))
                .window(Windows.tumbling(Duration.ofMillis(1000)))
                .aggregate(Statistics.sumLong(r -> r.value()))
                .map(r -> "group " + r.key() + " " + r.windowStartMs() + " " + r.value());
        EventStream<String> big = evs.filter(e -> e.seq() % 100 == 0).map(e -> "seq " + e.key() + " " + e.seq());
        perGroup.merge(big).to(out);
        job.deadLetters().map(d -> d).to(dead);
        return job;
    }

    @Test
    void shouldEndAJobThatMergesTheLateStreamsOfWindowsInDifferentStages() throws Exception {
        // the examples engineer's reproducer: at parallelism 2 the windows run in stages 1 and 2, the
        // merge of their late streams in stage 3, which never saw its inputs end
        List<Ev> evs = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            long ts = 1_000_000L + i * 100L - (i % 10 == 9 ? 30_000 : 0); // every 10th event 30 s behind: late
            evs.add(new Ev("k" + i % 7, ts, i, 0));
        }
        for (int p = 1; p <= 2; p++) {
            CollectionSource<Ev> src = CollectionSource.of("events", evs).withSplits(2);
            StreamJob job = StreamJob.named("late-merge", JobConfig.defaults().withParallelism(p).withJmx(false).withPollBatchSize(16)
                    .withCheckpointInterval(Duration.ofMillis(50)));
            SourceStream<Ev> s = job.source(src).withEventTime(Ev::ts, Duration.ofSeconds(5));
            AggregatedStream<String, Ev, Long> a = s.keyBy(Ev::key).window(Windows.tumbling(Duration.ofMinutes(1)))
                    .count(StateOptions.named("a"));
            AggregatedStream<String, Ev, Long> b = s.keyBy(e -> "x").window(Windows.tumbling(Duration.ofMinutes(1)))
                    .count(StateOptions.named("b"));
            CollectingSink<WindowResult<String, Long>> sinkA = CollectingSink.named("a-out");
            CollectingSink<WindowResult<String, Long>> sinkB = CollectingSink.named("b-out");
            CollectingSink<Ev> sinkL = CollectingSink.named("late");
            a.to(sinkA);
            b.to(sinkB);
            a.lateEvents().merge(b.lateEvents()).to(sinkL);
            RunningJob running = job.start();
            boolean ended = running.await(Duration.ofSeconds(10));
            if (!ended) {
                running.cancel();
            }
            assertThat(ended).as("job ended at parallelism %s", p).isTrue();
            long counted = 0;
            for (WindowResult<String, Long> r : sinkA.records()) {
                counted += r.value();
            }
            for (WindowResult<String, Long> r : sinkB.records()) {
                counted += r.value();
            }
            // each event reaches both windows: counted by each or late there
            assertThat(counted + sinkL.records().size()).as("counted plus late events").isEqualTo(2L * evs.size());
            assertThat(sinkL.records()).isNotEmpty();
        }
    }

    @Test
    void shouldMatchTheDriverAtEveryParallelism() throws Exception {
        long seed = Seeds.base("multi-stage");
        for (int i = 0; i < Seeds.count(6); i++) {
            Random rnd = new Random(seed + i);
            List<Ev> evs = Ev.random(rnd, 5000 + rnd.nextInt(10_000), 30, 2, 50);
            CollectionSource<Ev> src = CollectionSource.of("events", evs).withSplits(1 + rnd.nextInt(3));
            CollectingSink<String> expectedOut = CollectingSink.named("out");
            CollectingSink<DeadLetter> expectedDead = CollectingSink.named("dead");
            StreamJob reference = build(src, expectedOut, expectedDead);
            List<String> expected;
            int expectedDeadCount;
            try (JobTestDriver d = JobTestDriver.of(reference)) {
                // the source's splits interleave in the runtime; the driver gets them split by split,
                // which is fine since each split is within the bound and nothing is late
                for (Ev e : evs) {
                    d.input(src).send(e, 0);
                }
                d.endAllInputs();
                expected = new ArrayList<>(d.output(expectedOut));
                expectedDeadCount = d.output(expectedDead).size();
            }
            int p = 1 + i % 3;
            CollectingSink<String> out = CollectingSink.named("out");
            CollectingSink<DeadLetter> dead = CollectingSink.named("dead");
            StreamJob job = build(src, out, dead);
            job.run(job.config().withParallelism(p).withCheckpointInterval(Duration.ofMillis(25)).withJmx(false));
            List<String> actual = new ArrayList<>(out.records());
            actual.sort(null);
            expected.sort(null);
            assertThat(actual).as("parallelism %s", p).isEqualTo(expected);
            assertThat(expectedDeadCount).isPositive();
            assertThat(dead.records()).hasSize(expectedDeadCount);
        }
    }
}
