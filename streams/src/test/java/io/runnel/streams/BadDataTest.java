package io.runnel.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.streams.connect.DeliveryGuarantee;
import io.runnel.streams.connect.RejectedRecordException;
import io.runnel.streams.connect.Sink;
import io.runnel.streams.connect.SinkContext;
import io.runnel.streams.connect.SinkWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Malformed records, throwing user functions and rejecting sinks under both bad-data policies. */
class BadDataTest {

    record Line(int n) {
    }

    /** A sink that rejects records whose number ends in 7 (a database constraint, say). */
    static final class PickySink implements Sink<Object> {
        final CollectingSink<Object> inner = CollectingSink.named("picky");

        @Override public String name() { return "picky"; }
        @Override public DeliveryGuarantee guarantee() { return DeliveryGuarantee.EXACTLY_ONCE; }

        @Override
        public SinkWriter<Object> open(SinkContext context) {
            SinkWriter<Object> w = inner.open(context);
            return new SinkWriter<>() {
                @Override public void write(Object r) {
                    if (((Integer) r) % 10 == 7) {
                        throw new RejectedRecordException("value " + r + " violates CHECK (n % 10 <> 7)", null);
                    }
                    w.write(r);
                }
                @Override public byte[] prepareCommit(long id) { return w.prepareCommit(id); }
                @Override public void commit(long id, byte[] c) { w.commit(id, c); }
                @Override public void close() { w.close(); }
            };
        }
    }

    private static List<List<Object>> input(Random rnd, int splits, int n) {
        List<List<Object>> out = new ArrayList<>();
        for (int s = 0; s < splits; s++) {
            out.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            List<Object> split = out.get(i % splits);
            split.add(rnd.nextInt(10) == 0 ? new ScriptedSource.Bad("events-" + (i % splits) + ".jsonl:" + (split.size() + 1))
                    : new Line(rnd.nextInt(1000)));
        }
        return out;
    }

    private static StreamJob job(ScriptedSource<Line> src, PickySink sink, CollectingSink<DeadLetter> dead, JobConfig config) {
        StreamJob job = StreamJob.named("bad-data", config);
        job.source(src)
                .map(r -> {
                    int n = ((Line) r).n();
                    if (n % 13 == 0) {
                        throw new IllegalStateException("cannot handle " + n);
                    }
                    return n;
                })
                .to(sink);
        job.deadLetters().to(dead);
        return job;
    }

    @Test
    void shouldDeadLetterEveryBadRecordSoDeliveredPlusDeadLetteredEqualsInput() throws Exception {
        long seed = Seeds.base("dead letters");
        for (int i = 0; i < Seeds.count(8); i++) {
            Random rnd = new Random(seed + i);
            List<List<Object>> splits = input(rnd, 1 + rnd.nextInt(3), 2000 + rnd.nextInt(3000));
            long total = splits.stream().mapToLong(List::size).sum();
            long malformed = splits.stream().flatMap(List::stream).filter(r -> r instanceof ScriptedSource.Bad).count();
            long throwing = splits.stream().flatMap(List::stream).filter(r -> r instanceof Line l && l.n() % 13 == 0).count();
            long rejected = splits.stream().flatMap(List::stream).filter(r -> r instanceof Line l && l.n() % 13 != 0 && l.n() % 10 == 7).count();
            PickySink sink = new PickySink();
            CollectingSink<DeadLetter> dead = CollectingSink.named("dead");
            ScriptedSource<Line> src = new ScriptedSource<>("events", splits, ScriptedSource.After.END);
            JobConfig config = JobConfig.defaults().withParallelism(1 + i % 2).withBadDataPolicy(BadDataPolicy.DEAD_LETTER)
                    .withCheckpointInterval(Duration.ofMillis(20));
            job(src, sink, dead, config).run(config);
            assertThat(sink.inner.records().size() + dead.records().size()).as("delivered + dead-lettered").isEqualTo(total);
            assertThat(dead.records().stream().filter(d -> d.record() == null)).hasSize((int) malformed)
                    .allSatisfy(d -> {
                        assertThat(d.origin()).isEqualTo("events");
                        assertThat(d.position()).matches("events-\\d\\.jsonl:\\d+");
                        assertThat(d.reason()).contains("unexpected token");
                        assertThat(d.raw()).containsExactly(1, 2);
                    });
            assertThat(dead.records().stream().filter(d -> d.record() instanceof Line)).hasSize((int) throwing)
                    .allSatisfy(d -> {
                        assertThat(d.origin()).isEqualTo("events/map");
                        assertThat(d.reason()).contains("IllegalStateException: cannot handle");
                        assertThat(d.position()).matches("source 'events' split '\\d' at events/\\d@\\d+");
                    });
            assertThat(dead.records().stream().filter(d -> d.record() instanceof Integer)).hasSize((int) rejected)
                    .allSatisfy(d -> assertThat(d.origin()).isEqualTo("picky"));
        }
    }

    @Test
    void shouldFailNamingTheSourcePositionOfAThrowingFunction() {
        List<Object> records = List.of(new Line(1), new Line(2), new Line(26), new Line(4));
        ScriptedSource<Line> src = new ScriptedSource<>("events", List.of(records), ScriptedSource.After.END);
        JobConfig config = JobConfig.defaults();
        assertThatThrownBy(() -> job(src, new PickySink(), CollectingSink.named("dead"), config).run(config))
                .isInstanceOf(JobFailedException.class)
                .hasMessageContaining("operator 'events/map' failed on the record at source 'events' split '0' at events/0@2")
                .hasMessageContaining("cannot handle 26");
    }

    @Test
    void shouldFailNamingTheFileAndLineOfAMalformedRecord() {
        List<Object> records = List.of(new Line(1), new ScriptedSource.Bad("events.jsonl:2"), new Line(3));
        ScriptedSource<Line> src = new ScriptedSource<>("events", List.of(records), ScriptedSource.After.END);
        JobConfig config = JobConfig.defaults().withParallelism(2);
        assertThatThrownBy(() -> job(src, new PickySink(), CollectingSink.named("dead"), config).run(config))
                .isInstanceOf(JobFailedException.class)
                .hasMessageContaining("source 'events' could not decode the record at events.jsonl:2");
    }

    @Test
    void shouldHandleBadDataInTheTestDriver() {
        ScriptedSource<Line> src = new ScriptedSource<>("events", List.of(List.of()), ScriptedSource.After.END);
        PickySink sink = new PickySink();
        StreamJob job = job(src, sink, CollectingSink.named("dead"), JobConfig.defaults().withBadDataPolicy(BadDataPolicy.DEAD_LETTER));
        try (JobTestDriver d = JobTestDriver.of(job)) {
            TestInput<?> in = d.input("events");
            @SuppressWarnings("unchecked")
            TestInput<Object> typed = (TestInput<Object>) in;
            typed.send(new Line(5), 0).send(new Line(39), 0).send(new Line(17), 0);
            typed.sendMalformed("events.jsonl:4", null, new IllegalArgumentException("bad json"));
            // the driver captures what reaches a sink without opening it, so the sink's own rejection does not apply
            assertThat(d.output(sink)).containsExactly(5, 17);
            assertThat(d.deadLetters()).extracting(DeadLetter::origin).containsExactly("events/map", "events");
            assertThat(d.deadLetters().get(0).position()).isEqualTo("input 'events' record #2");
            assertThat(d.metrics().operator("events/map").deadLettered()).isEqualTo(1);
        }
        StreamJob failing = job(src, new PickySink(), CollectingSink.named("dead"), JobConfig.defaults());
        try (JobTestDriver d = JobTestDriver.of(failing)) {
            @SuppressWarnings("unchecked")
            TestInput<Object> typed = (TestInput<Object>) d.input("events");
            assertThatThrownBy(() -> typed.send(new Line(5), 0).send(new Line(26), 0))
                    .isInstanceOf(JobFailedException.class).hasMessageContaining("input 'events' record #2");
        }
    }
}
