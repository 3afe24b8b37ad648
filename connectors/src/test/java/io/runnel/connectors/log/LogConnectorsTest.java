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
import io.runnel.log.Headers;
import io.runnel.log.Log;
import io.runnel.log.LogConfig;
import io.runnel.log.Producer;
import io.runnel.log.ProducerConfig;
import io.runnel.log.ProducerRecord;
import io.runnel.log.Serde;
import io.runnel.log.Serdes;
import io.runnel.log.TopicConfig;
import io.runnel.log.TopicPartition;
import io.runnel.log.format.BatchBuilder;
import io.runnel.streams.connect.ConnectorException;
import io.runnel.streams.connect.RejectedRecordException;
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
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
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

    /** A log in {@code dir/log} with a topic {@code out} of {@code partitions}, closed after the test. */
    private Log logWithTopicOut(Path dir, LogConfig config, int partitions) {
        Log log = Log.open(dir.resolve("log"), config);
        logs.add(log);
        log.createTopic("out", TopicConfig.partitions(partitions));
        return log;
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
        Log log = logWithTopicOut(dir, LogConfig.defaults(), 3);
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
        Log log = logWithTopicOut(dir, LogConfig.defaults(), 2);
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
    void sinkShouldRefuseARecordTooLargeForTheLogWhenItIsWrittenAndGoOn(@TempDir Path dir) {
        Log log = logWithTopicOut(dir, LogConfig.defaults().withMaxRecordBytes(1024), 2);
        LogSink<String> sink = LogSink.of(log, "out", Serdes.string()).withMaxRecordBytes(1024);
        String atLimit = valueOfRecordSize(1024);
        String overLimit = atLimit + "x";
        try (SinkWriter<String> writer = sink.open(new SinkContext("job", sink.name(), 0, 1, dir.resolve("state")))) {
            writer.write("small");
            assertThatThrownBy(() -> writer.write(overLimit)).isInstanceOf(RejectedRecordException.class)
                    .hasMessageStartingWith("log sink: record too large for topic 'out': sizeInBytes=1025 (key 0 + value "
                            + overLimit.length() + " bytes + framing), maxRecordBytes=1024 (write smaller records, or raise"
                            + " LogConfig.maxRecordBytes of the log and LogSink.withMaxRecordBytes together): xxxxx")
                    .hasMessageEndingWith("... (" + overLimit.length() + " characters)");
            writer.write(atLimit); // the log takes it at commit: the sink measures as the log does
            writer.commit(1, writer.prepareCommit(1));
        }
        assertThat(readTopic(log, "out")).containsExactlyInAnyOrder("small", atLimit);
    }

    @Test
    void sinkShouldNameTheFixWhenItsLimitIsAboveTheLogs(@TempDir Path dir) {
        Log log = logWithTopicOut(dir, LogConfig.defaults().withMaxRecordBytes(1024), 1);
        LogSink<String> sink = LogSink.of(log, "out", Serdes.string()); // default limit 1 MiB: above the log's
        try (SinkWriter<String> writer = sink.open(new SinkContext("job", sink.name(), 0, 1, dir.resolve("state")))) {
            writer.write(valueOfRecordSize(2048));
            byte[] committable = writer.prepareCommit(1);
            assertThatThrownBy(() -> writer.commit(1, committable)).isInstanceOf(ConnectorException.class)
                    .hasMessageContaining("the log refuses a record staged for checkpoint 1: record too large")
                    .hasMessageContaining("set LogSink.withMaxRecordBytes to the log's LogConfig.maxRecordBytes");
        }
        assertThatThrownBy(() -> sink.withMaxRecordBytes(63)).isInstanceOf(InvalidConfigException.class)
                .hasMessage("log sink: maxRecordBytes=63 is outside 64..67108864 (use the log's LogConfig.maxRecordBytes())");
    }

    /** A value whose record, without key and headers, measures {@code recordBytes} as the log measures it. */
    private static String valueOfRecordSize(int recordBytes) {
        int overhead = BatchBuilder.recordSizeUpperBound(null, new byte[0], null);
        return "x".repeat(recordBytes - overhead);
    }

    /**
     * The job restores checkpoint 1 after checkpoint 2's records were appended (checkpoint 2 was
     * damaged): it replays them, in other checkpoints than the first time. Nothing may be lost; the
     * replayed span is appended again (documented).
     */
    @Test
    void sinkShouldLoseNothingWhenTheJobRestoresACheckpointOlderThanOneItCommitted(@TempDir Path dir) {
        Log log = logWithTopicOut(dir, LogConfig.defaults(), 2);
        LogSink<String> sink = LogSink.keyed(log, "out", s -> s, Serdes.string(), Serdes.string());
        SinkContext context = new SinkContext("job", sink.name(), 0, 1, dir.resolve("state"));
        byte[] restored;
        try (SinkWriter<String> first = sink.open(context)) {
            writeRange(first, 0, 100);
            restored = first.prepareCommit(1);
            first.commit(1, restored);
            writeRange(first, 100, 200);
            first.commit(2, first.prepareCommit(2));
        }
        try (SinkWriter<String> second = sink.open(context)) {
            second.commit(1, restored); // the runtime commits the restored checkpoint again, then replays after it
            writeRange(second, 100, 150); // checkpoint ids count on from the restored one
            second.commit(2, second.prepareCommit(2));
            writeRange(second, 150, 250);
            second.commit(3, second.prepareCommit(3));
        }
        Map<Integer, Long> copies = copies(readTopic(log, "out"));
        assertThat(copies).as("every record, none lost").containsOnlyKeys(IntStream.range(0, 250).boxed().toList());
        assertThat(copies).as("the replayed span twice, the rest once")
                .allSatisfy((r, n) -> assertThat(n).as("copies of r%d", r).isEqualTo(r >= 100 && r < 200 ? 2L : 1L));
    }

    /**
     * The job starts without a checkpoint (its state directory was reset, or both kept checkpoints
     * were damaged) while the topic keeps an earlier run's output, and replays faster than the first
     * run: one checkpoint covers what two did. Nothing may be lost.
     */
    @Test
    void sinkShouldLoseNothingWhenTheJobStartsOverOnATopicThatKeptItsOutput(@TempDir Path dir) {
        Log log = logWithTopicOut(dir, LogConfig.defaults(), 1);
        LogSink<String> sink = LogSink.of(log, "out", Serdes.string());
        SinkContext context = new SinkContext("job", sink.name(), 0, 1, dir.resolve("state"));
        try (SinkWriter<String> first = sink.open(context)) {
            writeRange(first, 0, 100);
            first.commit(1, first.prepareCommit(1));
            writeRange(first, 100, 200);
            first.commit(2, first.prepareCommit(2));
        }
        try (SinkWriter<String> second = sink.open(context)) {
            writeRange(second, 0, 200);
            second.commit(1, second.prepareCommit(1));
            writeRange(second, 200, 250);
            second.commit(2, second.prepareCommit(2));
        }
        assertStartedOverWithoutLoss(readTopic(log, "out"));
    }

    /**
     * The oracle of the test above is able to fail: appended as the sink did before it took a new
     * producer id per writer (one id per task, sequences from checkpoint ids), the new run's records
     * 200..249 get sequences the log already holds and are dropped as duplicates.
     */
    @Test
    void aFixedProducerIdPerTaskWouldLoseTheRecordsOfARunThatStartsOver(@TempDir Path dir) {
        Log log = logWithTopicOut(dir, LogConfig.defaults(), 1);
        try (Producer<String, String> fixed = log.producer(Serdes.string(), Serdes.string(), ProducerConfig.idempotent("job/sink/0"))) {
            appendAsCheckpoint(fixed, 1, 0, 100);
            appendAsCheckpoint(fixed, 2, 100, 200);
            appendAsCheckpoint(fixed, 1, 0, 200); // the run that starts over
            appendAsCheckpoint(fixed, 2, 200, 250);
        }
        assertThatThrownBy(() -> assertStartedOverWithoutLoss(readTopic(log, "out")))
                .isInstanceOf(AssertionError.class).hasMessageContaining("none lost");
    }

    private static void appendAsCheckpoint(Producer<String, String> producer, long checkpointId, int from, int to) {
        for (int i = from; i < to; i++) {
            producer.send(new ProducerRecord<>("out", 0, null, null, "r" + i, Headers.empty(), (checkpointId << 32) + i - from));
        }
        producer.flush();
    }

    private static void assertStartedOverWithoutLoss(List<String> published) {
        Map<Integer, Long> copies = copies(published);
        assertThat(copies).as("every record, none lost").containsOnlyKeys(IntStream.range(0, 250).boxed().toList());
        assertThat(copies).as("the earlier run's records twice, the new ones once")
                .allSatisfy((r, n) -> assertThat(n).as("copies of r%d", r).isEqualTo(r < 200 ? 2L : 1L));
    }

    private static void writeRange(SinkWriter<String> writer, int from, int to) {
        for (int i = from; i < to; i++) {
            writer.write("r" + i);
        }
    }

    /** How often each record {@code r<i>} is in {@code published}, by i. */
    private static Map<Integer, Long> copies(List<String> published) {
        return published.stream().collect(Collectors.groupingBy(v -> Integer.parseInt(v.substring(1)), TreeMap::new, Collectors.counting()));
    }

    @Test
    void shouldGiveEachWriterANewProducerIdWithinTheLogsLimit() {
        String a = LogSink.newProducerId("job", "log-sink:out", 3);
        assertThat(a).matches("job/log-sink:out/3#[0-9a-f-]{36}");
        assertThat(LogSink.newProducerId("job", "log-sink:out", 3)).isNotEqualTo(a);
        String longNames = LogSink.newProducerId("j".repeat(200), "s".repeat(100), 7);
        assertThat(longNames).hasSizeLessThanOrEqualTo(255).matches("[0-9a-f]{64}/7#[0-9a-f-]{36}");
        assertThat(ProducerConfig.idempotent(longNames).producerId()).isEqualTo(longNames);
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
