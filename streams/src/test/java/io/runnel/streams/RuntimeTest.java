package io.runnel.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/** The threaded runtime: results at every parallelism equal the oracle; idle splits; graceful stop; metrics. */
class RuntimeTest {

    static void waitFor(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(5); // test code: polling a condition with a deadline
        }
    }

    @Test
    void shouldMatchOracleAtEveryParallelism() throws Exception {
        long seed = Seeds.base("runtime windows");
        for (int i = 0; i < Seeds.count(12); i++) {
            Random rnd = new Random(seed + i);
            List<Ev> evs = Ev.random(rnd, 2000 + rnd.nextInt(20_000), 1 + rnd.nextInt(40), 1 + rnd.nextInt(10), 100);
            int parallelism = 1 + i % 3;
            CollectionSource<Ev> src = CollectionSource.of("events", evs).withSplits(1 + rnd.nextInt(4));
            CollectingSink<WindowResult<String, Long>> tumbling = CollectingSink.named("tumbling");
            CollectingSink<WindowResult<String, Long>> hopping = CollectingSink.named("hopping");
            CollectingSink<WindowResult<String, Long>> sessions = CollectingSink.named("sessions");
            CollectingSink<Ev> late = CollectingSink.named("late");
            StreamJob job = StreamJob.named("runtime-oracle");
            KeyedStream<String, Ev> keyed = job.source(src).withEventTime(Ev::ts, Duration.ofMillis(100)).keyBy(Ev::key);
            AggregatedStream<String, Ev, Long> t = keyed.window(Windows.tumbling(Duration.ofMillis(500))).count();
            t.to(tumbling);
            t.lateEvents().to(late);
            keyed.window(Windows.hopping(Duration.ofMillis(600), Duration.ofMillis(200))).count().to(hopping);
            keyed.window(Windows.session(Duration.ofMillis(30))).count().to(sessions);
            RunningJob running = job.start(JobConfig.defaults().withParallelism(parallelism)
                    .withCheckpointInterval(Duration.ofMillis(20)).withExchange(8, 64));
            assertThat(running.await(Duration.ofSeconds(60))).isTrue();
            WindowOracle oracle = new WindowOracle(evs, 100, 0);
            assertThat(late.records()).isEmpty();
            assertThat(WindowOracle.finalView(tumbling.records(), false)).as("tumbling, parallelism %s", parallelism)
                    .isEqualTo(WindowOracle.apply(oracle.timeWindows(500, 500), l -> (long) l.size()));
            assertThat(WindowOracle.finalView(hopping.records(), false)).as("hopping, parallelism %s", parallelism)
                    .isEqualTo(WindowOracle.apply(oracle.timeWindows(600, 200), l -> (long) l.size()));
            assertThat(WindowOracle.finalView(sessions.records(), true)).as("sessions, parallelism %s", parallelism)
                    .isEqualTo(WindowOracle.apply(oracle.sessions(30), l -> (long) l.size()));
            assertThat(running.metrics().checkpointsCompleted()).isPositive();
        }
    }

    record E(String key, long ts) {
    }

    private static StreamJob idleJob(ScriptedSource.After after, CollectingSink<WindowResult<String, Long>> sink) {
        List<Object> busy = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            busy.add(new E("a", i));
        }
        ScriptedSource<E> src = new ScriptedSource<>("scripted", List.of(busy, List.of()), after);
        StreamJob job = StreamJob.named("idle-" + after);
        job.source(src).withTimeStrategy(TimeStrategy.eventTime(r -> ((E) r).ts(), Duration.ZERO).withIdleTimeout(Duration.ofMillis(100)))
                .keyBy(r -> ((E) r).key()).window(Windows.tumbling(Duration.ofMillis(10))).count().to(sink);
        return job;
    }

    @Test
    void shouldExcludeAnIdleSplitFromTheWatermark() throws Exception {
        CollectingSink<WindowResult<String, Long>> sink = CollectingSink.named("out");
        RunningJob running = idleJob(ScriptedSource.After.CAUGHT_UP, sink)
                .start(JobConfig.defaults().withParallelism(2).withCheckpointInterval(Duration.ofMillis(20)));
        try {
            // the empty split is caught up: after the idle timeout it no longer holds W at -infinity
            waitFor("windows [0,10) and [10,20) to fire", Duration.ofSeconds(20), () -> sink.records().size() >= 2);
        } finally {
            running.stop();
        }
        assertThat(sink.records()).startsWith(new WindowResult<>("a", 0, 10, 10L, WindowResult.Kind.FINAL));
    }

    @Test
    void shouldNeverTreatASplitWithBacklogAsIdle() throws Exception {
        CollectingSink<WindowResult<String, Long>> sink = CollectingSink.named("out");
        RunningJob running = idleJob(ScriptedSource.After.BACKLOG, sink)
                .start(JobConfig.defaults().withParallelism(1).withCheckpointInterval(Duration.ofMillis(20)));
        // 25 checkpoints at 20 ms take at least 500 ms: five idle timeouts
        waitFor("25 checkpoints", Duration.ofSeconds(20), () -> running.metrics().checkpointsCompleted() >= 25);
        running.stop();
        assertThat(sink.records()).as("the split with a backlog holds the watermark back").isEmpty();
    }

    @Test
    void shouldStopGracefullyCommittingEverythingReadAndExposeMetricsOverJmx() throws Exception {
        List<Object> records = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            records.add(new E("k" + i % 10, i));
        }
        ScriptedSource<E> src = new ScriptedSource<>("unbounded", List.of(records.subList(0, 2500), records.subList(2500, 5000)),
                ScriptedSource.After.CAUGHT_UP);
        CollectingSink<Object> sink = CollectingSink.named("copy");
        StreamJob job = StreamJob.named("stop-test");
        job.source(src).map(r -> r).to(sink);
        RunningJob running = job.start(JobConfig.defaults().withParallelism(2).withCheckpointInterval(Duration.ofHours(1)));
        waitFor("all records read", Duration.ofSeconds(20), () -> running.metrics().operator("unbounded/map").recordsOut() == 5000);
        assertThat(sink.records()).as("nothing committed before a checkpoint").isEmpty();
        Object jmxIn = ManagementFactory.getPlatformMBeanServer().getAttribute(
                new ObjectName("io.runnel.streams:type=Operator,job=\"stop-test\",name=\"unbounded/map\""), "RecordsIn");
        assertThat(jmxIn).isEqualTo(5000L);
        running.stop();
        assertThat(sink.records()).hasSize(5000).containsExactlyInAnyOrderElementsOf(records);
        Map<String, OperatorMetrics> ops = running.metrics().operators();
        assertThat(ops.get("copy").recordsIn()).isEqualTo(5000);
        assertThat(running.metrics().checkpointsCompleted()).isEqualTo(1);
        assertThat(ManagementFactory.getPlatformMBeanServer().queryNames(new ObjectName("io.runnel.streams:job=\"stop-test\",*"), null))
                .as("MBeans unregistered when the job ends").isEmpty();
    }
}
