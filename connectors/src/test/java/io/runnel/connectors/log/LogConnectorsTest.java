package io.runnel.connectors.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.connectors.CollectingOutput;
import io.runnel.connectors.InvalidConfigException;
import io.runnel.connectors.SinkContractTest;
import io.runnel.connectors.SourceContractTest;
import io.runnel.log.Consumer;
import io.runnel.log.ConsumerConfig;
import io.runnel.log.ConsumerRecord;
import io.runnel.log.Log;
import io.runnel.log.Producer;
import io.runnel.log.Serde;
import io.runnel.log.Serdes;
import io.runnel.log.TopicConfig;
import io.runnel.log.TopicPartition;
import io.runnel.streams.connect.Sink;
import io.runnel.streams.connect.SinkContext;
import io.runnel.streams.connect.SinkWriter;
import io.runnel.streams.connect.Source;
import io.runnel.streams.connect.SourceContext;
import io.runnel.streams.connect.SourceReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class LogConnectorsTest {
    private static final SourceContext CONTEXT = new SourceContext("job", "log:events", 0, 1);

    /** Strings; "bad:..." values fail to decode, to exercise malformed reporting. */
    static final Serde<String> PICKY = new Serde<>() {
        @Override
        public byte[] serialize(String value) {
            return Serdes.string().serialize(value);
        }

        @Override
        public String deserialize(byte[] bytes) {
            String s = Serdes.string().deserialize(bytes);
            if (s.startsWith("bad:")) {
                throw new io.runnel.log.SerializationException("not a good value: " + s);
            }
            return s;
        }
    };

    private final List<Log> logs = new ArrayList<>();

    @AfterEach
    void closeLogs() {
        logs.forEach(Log::close);
    }

    Log logWithEvents(Path dir, int count) {
        Log log = Log.open(dir.resolve("log"));
        logs.add(log);
        log.createTopic("events", TopicConfig.partitions(3));
        try (Producer<String, String> producer = log.producer(Serdes.string(), Serdes.string())) {
            for (int i = 0; i < count; i++) {
                producer.send("events", "k" + (i % 11), i % 29 == 13 ? "bad:" + i : "event-" + i);
            }
            producer.flush();
        }
        return log;
    }

    @Nested
    class BoundedSourceContract extends SourceContractTest<String> {
        @Override
        protected Source<String> createSource(Path dir) {
            return LogSource.of(logWithEvents(dir, 300), "events", PICKY).bounded();
        }

        @Override
        protected long expectedBoundedCount() {
            return 300;
        }
    }

    @Nested
    class UnboundedSourceContract extends SourceContractTest<String> {
        @Override
        protected Source<String> createSource(Path dir) {
            return LogSource.of(logWithEvents(dir, 300), "events", PICKY);
        }
    }

    @Nested
    class SinkContract extends SinkContractTest<String> {
        private Log log;

        @Override
        protected Sink<String> createSink(Path dir) {
            log = Log.open(dir.resolve("out-log"));
            logs.add(log);
            log.createTopic("out", TopicConfig.partitions(2));
            return LogSink.keyed(log, "out", s -> s, Serdes.string(), Serdes.string());
        }

        @Override
        protected String record(int i) {
            return "result-" + i;
        }

        @Override
        protected List<String> published() {
            return readTopic(log, "out");
        }

        @Override
        protected boolean publishesOnlyOnCommit() {
            return true;
        }
    }

    public static List<String> readTopic(Log log, String topic) {
        List<String> values = new ArrayList<>();
        try (Consumer<String, String> consumer = log.consumer(Serdes.string(), Serdes.string(), ConsumerConfig.defaults())) {
            List<TopicPartition> partitions = IntStream.range(0, log.partitionCount(topic)).mapToObj(p -> new TopicPartition(topic, p)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long total = partitions.stream().mapToLong(log::endOffset).sum();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (values.size() < total && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(50))) {
                    values.add(r.value());
                }
            }
        }
        return values;
    }

    @Test
    void shouldReportUndecodableValuesWithTopicPartitionAndOffset(@TempDir Path dir) {
        LogSource<String> source = LogSource.of(logWithEvents(dir, 100), "events", PICKY).bounded();
        CollectingOutput<String> out = new CollectingOutput<>();
        source.splits().forEach(split -> {
            try (SourceReader<String> reader = source.open(split, CONTEXT)) {
                while (reader.poll(out, 50, Duration.ofMillis(10)) != SourceReader.Status.END) {
                    // drain
                }
            }
        });
        assertThat(out.records()).hasSize(100 - 3);
        assertThat(out.malformed()).hasSize(3).allSatisfy(d -> {
            assertThat(d.malformedWhere()).matches("events/[0-2]@\\d+");
            assertThat(d.malformedReason()).hasMessageContaining("not a good value");
        });
    }

    @Test
    void boundedSourceShouldKeepEndOfFirstStart(@TempDir Path dir) {
        Log log = logWithEvents(dir, 90);
        LogSource<String> source = LogSource.of(log, "events", PICKY).bounded();
        var splits = source.splits();
        try (Producer<String, String> producer = log.producer(Serdes.string(), Serdes.string())) {
            producer.send("events", "k", "later");
            producer.flush();
        }
        CollectingOutput<String> out = new CollectingOutput<>();
        for (var split : splits) {
            try (SourceReader<String> reader = source.open(split, CONTEXT)) {
                while (reader.poll(out, 50, Duration.ofMillis(10)) != SourceReader.Status.END) {
                    // drain
                }
            }
        }
        assertThat(out.size()).isEqualTo(90);
        assertThat(out.records()).doesNotContain("later");
    }

    @Test
    void unboundedSourceShouldSeeNewRecords(@TempDir Path dir) {
        Log log = logWithEvents(dir, 0);
        LogSource<String> source = LogSource.of(log, "events", PICKY);
        try (SourceReader<String> reader = source.open(source.splits().get(0), CONTEXT)) {
            CollectingOutput<String> out = new CollectingOutput<>();
            assertThat(reader.poll(out, 10, Duration.ofMillis(20))).isEqualTo(SourceReader.Status.CAUGHT_UP);
            try (Producer<String, String> producer = log.producer(Serdes.string(), Serdes.string())) {
                producer.send(new io.runnel.log.ProducerRecord<>("events", 0, null, null, "new", io.runnel.log.Headers.empty(), null));
                producer.flush();
            }
            assertThat(reader.hasBacklog()).isTrue();
            assertThat(reader.poll(out, 10, Duration.ofSeconds(5))).isEqualTo(SourceReader.Status.MORE);
            assertThat(out.records()).containsExactly("new");
        }
    }

    @Test
    void sinkShouldAppendNothingTwiceWhenCommitIsRepeatedAfterCrashMidCommit(@TempDir Path dir) throws Exception {
        Log log = Log.open(dir.resolve("log"));
        logs.add(log);
        log.createTopic("out", TopicConfig.partitions(3));
        LogSink<String> sink = LogSink.keyed(log, "out", s -> s, Serdes.string(), Serdes.string());
        SinkContext context = new SinkContext("job", sink.name(), 0, 1, dir.resolve("state"));
        byte[] committable;
        Path saved = dir.resolve("saved");
        try (SinkWriter<String> writer = sink.open(context)) {
            for (int i = 0; i < 500; i++) {
                writer.write("r" + i);
            }
            committable = writer.prepareCommit(1);
            copyStaged(context.stateDir(), saved);
            writer.commit(1, committable);
        }
        // the crash came after the appends but before the staging file was deleted: it is still there
        copyStaged(saved, context.stateDir());
        try (SinkWriter<String> restarted = sink.open(context)) {
            restarted.commit(1, committable);
        }
        List<String> published = readTopic(log, "out");
        assertThat(published).hasSize(500).doesNotHaveDuplicates();
    }

    private static void copyStaged(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    @Test
    void sinkShouldLetAnotherTaskCommitAfterParallelismChangeWithoutDuplicates(@TempDir Path dir) throws Exception {
        Log log = Log.open(dir.resolve("log"));
        logs.add(log);
        log.createTopic("out", TopicConfig.partitions(2));
        LogSink<String> sink = LogSink.keyed(log, "out", s -> s, Serdes.string(), Serdes.string());
        Path state0 = dir.resolve("state-0");
        Path saved = dir.resolve("saved");
        byte[] committable;
        try (SinkWriter<String> old = sink.open(new SinkContext("job", sink.name(), 0, 1, state0))) {
            for (int i = 0; i < 100; i++) {
                old.write("r" + i);
            }
            committable = old.prepareCommit(1);
            copyStaged(state0, saved);
            old.commit(1, committable); // appended; the crash comes before the staging file is deleted:
        }
        copyStaged(saved, state0);
        // restarted with parallelism 2: task 1 is given task 0's committable and appends it again
        try (SinkWriter<String> t0 = sink.open(new SinkContext("job", sink.name(), 0, 2, state0));
                SinkWriter<String> t1 = sink.open(new SinkContext("job", sink.name(), 1, 2, dir.resolve("state-1")))) {
            t1.commit(1, committable);
            t0.write("new");
            t0.commit(2, t0.prepareCommit(2));
        }
        assertThat(readTopic(log, "out")).as("with the preparing task's producer id, the re-append is deduplicated")
                .hasSize(101).doesNotHaveDuplicates();
        try (Stream<Path> left = Files.list(state0)) {
            assertThat(left).as("staging files left").isEmpty();
        }
    }

    @Test
    void shouldRejectUnknownTopicNamingTheFix(@TempDir Path dir) {
        Log log = Log.open(dir.resolve("log"));
        logs.add(log);
        assertThatThrownBy(() -> LogSource.of(log, "nope", Serdes.string()).splits()).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("topic='nope'").hasMessageContaining("create it");
        LogSink<String> sink = LogSink.of(log, "nope", Serdes.string());
        assertThatThrownBy(() -> sink.open(new SinkContext("j", "s", 0, 1, dir))).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("topic='nope'");
    }
}
