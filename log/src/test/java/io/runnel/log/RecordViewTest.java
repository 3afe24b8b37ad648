package io.runnel.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.log.testing.TestSettings;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Consumer#poll(Duration, RecordHandler)}: records read in place, through a {@link RecordView}. */
class RecordViewTest {
    @TempDir
    Path dir;

    /** Random records of every shape: null and empty keys and values, headers, big values, far timestamps. */
    private static void produce(Log log, String topic, int n, Random r) {
        try (Producer<byte[], byte[]> p = log.producer(Serdes.bytes(), Serdes.bytes())) {
            for (int i = 0; i < n; i++) {
                byte[] key = r.nextInt(4) == 0 ? null : bytes(r, r.nextInt(3) == 0 ? 300 : 20);
                byte[] value = r.nextInt(10) == 0 ? null : bytes(r, r.nextInt(20) == 0 ? 20_000 : 150);
                ProducerRecord<byte[], byte[]> rec = ProducerRecord.of(topic, key, value)
                        .withTimestampMs(r.nextInt(10) == 0 ? r.nextLong() >>> 3 : 1_767_225_600_000L + i);
                if (r.nextInt(5) == 0) {
                    rec = rec.withHeaders(Headers.empty().with("h" + i, bytes(r, 10)));
                }
                p.send(rec);
                if (r.nextInt(50) == 0) {
                    p.flush(); // batches of many sizes
                }
            }
        }
    }

    private static byte[] bytes(Random r, int max) {
        byte[] b = new byte[r.nextInt(max + 1)];
        r.nextBytes(b);
        return b;
    }

    private static List<TopicPartition> partitions(String topic, int n) {
        List<TopicPartition> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new TopicPartition(topic, i));
        }
        return out;
    }

    /** A record as text: the same for a ConsumerRecord and a view read in place. */
    private static String describe(TopicPartition tp, long offset, long ts, byte[] key, byte[] value, Headers h) {
        return tp + "@" + offset + " " + ts + " " + Arrays.toString(key) + " " + Arrays.toString(value) + " " + h;
    }

    private static byte[] inPlace(ByteBuffer b, int position, int length) {
        if (length < 0) {
            return null;
        }
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = b.get(position + i);
        }
        return out;
    }

    /** The bytes between the position and the limit of a read-only field buffer (null stays null). */
    private static byte[] remaining(ByteBuffer field) {
        if (field == null) {
            return null;
        }
        assertThat(field.isReadOnly()).isTrue();
        byte[] out = new byte[field.remaining()];
        field.duplicate().get(out);
        return out;
    }

    @Test
    void shouldHandOutWhatPollReturnsReadInPlace() throws Exception {
        Random r = new Random(TestSettings.seed("record views"));
        try (Log log = Log.open(dir, LogConfig.defaults().withSegmentBytes(64 * 1024))) {
            log.createTopic("plain", TopicConfig.partitions(3));
            log.createTopic("lz4", TopicConfig.partitions(2).withCompression(Compression.LZ4));
            produce(log, "plain", 3000, r);
            produce(log, "lz4", 1000, r);
            for (String topic : List.of("plain", "lz4")) {
                List<TopicPartition> tps = partitions(topic, log.partitionCount(topic));
                long total = tps.stream().mapToLong(log::endOffset).sum();
                List<String> polled = new ArrayList<>();
                try (Consumer<byte[], byte[]> c = log.consumer(Serdes.bytes(), Serdes.bytes(), ConsumerConfig.defaults())) {
                    c.assign(tps);
                    while (polled.size() < total) {
                        for (ConsumerRecord<byte[], byte[]> rec : c.poll(Duration.ofSeconds(5))) {
                            polled.add(describe(rec.topicPartition(), rec.offset(), rec.timestampMs(), rec.key(),
                                    rec.value(), rec.headers()));
                        }
                    }
                }
                List<String> viewed = new ArrayList<>();
                List<String> copied = new ArrayList<>();
                List<String> fields = new ArrayList<>();
                try (Consumer<byte[], byte[]> c = log.consumer(Serdes.bytes(), Serdes.bytes(),
                        ConsumerConfig.defaults().withMaxPollRecords(97))) {
                    c.assign(tps);
                    while (viewed.size() < total) {
                        int n = c.poll(Duration.ofSeconds(5), v -> {
                            TopicPartition tp = new TopicPartition(v.topic(), v.partition());
                            // Key and value buffers first: they must not narrow buffer() below.
                            ByteBuffer kb = v.keyBuffer();
                            ByteBuffer vb = v.valueBuffer();
                            fields.add(describe(tp, v.offset(), v.timestampMs(), remaining(kb), remaining(vb),
                                    v.headers())); // kb read after vb was set: each has a buffer of its own
                            ByteBuffer b = v.buffer();
                            assertThat(b.isReadOnly()).isTrue();
                            viewed.add(describe(tp, v.offset(), v.timestampMs(), inPlace(b, v.keyPosition(), v.keyLength()),
                                    inPlace(b, v.valuePosition(), v.valueLength()), v.headers()));
                            b.limit(0); // a handler may narrow it: the next record's buffer() is whole again
                            ConsumerRecord<byte[], byte[]> rec = v.toRecord();
                            copied.add(describe(rec.topicPartition(), rec.offset(), rec.timestampMs(), v.key(), v.value(),
                                    rec.headers()));
                        });
                        assertThat(n).isBetween(1, 97);
                    }
                    assertThat(c.poll(Duration.ofMillis(50), v -> { })).isZero();
                    for (TopicPartition tp : tps) {
                        assertThat(c.position(tp)).isEqualTo(log.endOffset(tp));
                    }
                }
                // Same records, same order within each partition (partitions interleave by poll).
                assertThat(viewed).containsExactlyInAnyOrderElementsOf(polled);
                assertThat(copied).isEqualTo(viewed);
                assertThat(fields).isEqualTo(viewed);
                for (TopicPartition tp : tps) {
                    assertThat(viewed.stream().filter(s -> s.startsWith(tp + "@")).toList())
                            .isEqualTo(polled.stream().filter(s -> s.startsWith(tp + "@")).toList());
                }
            }
        }
    }

    /** The README's snippet (section "The log"), as written there. */
    @Test
    void shouldRunTheReadmeSnippet() throws Exception {
        try (Log log = Log.open(dir)) {
            log.createTopic("events", TopicConfig.partitions(1));
            try (Producer<String, String> p = log.producer(Serdes.string(), Serdes.string())) {
                for (String v : List.of("{\"a\":1}", "", "not json", "{\"b\":2}")) {
                    p.send("events", null, v);
                }
            }
            List<String> handled = new ArrayList<>();
            try (Consumer<String, String> consumer = log.consumer(Serdes.string(), Serdes.string(),
                    ConsumerConfig.defaults())) {
                consumer.assign(List.of(new TopicPartition("events", 0)));
                class Snippet {
                    void handle(long offset, String value) {
                        handled.add(offset + " " + value);
                    }

                    void run() {
                        consumer.poll(Duration.ofSeconds(1), record -> {
                            ByteBuffer b = record.buffer();                    // read-only; absolute indexes
                            if (record.valueLength() > 0 && b.get(record.valuePosition()) == '{') {
                                handle(record.offset(), record.value());       // deserialized (copied) only when wanted
                            }
                        });
                    }
                }
                new Snippet().run();
            }
            assertThat(handled).containsExactly("0 {\"a\":1}", "3 {\"b\":2}");
        }
    }

    @Test
    void shouldKeepThePositionAtTheRecordAHandlerThrowsOn() throws Exception {
        try (Log log = Log.open(dir)) {
            log.createTopic("t", TopicConfig.partitions(1));
            TopicPartition tp = new TopicPartition("t", 0);
            try (Producer<String, String> p = log.producer(Serdes.string(), Serdes.string())) {
                for (String v : List.of("a", "b", "bad", "c")) {
                    p.send("t", null, v);
                }
            }
            try (Consumer<String, String> c = log.consumer(Serdes.string(), Serdes.string(), ConsumerConfig.defaults())) {
                c.assign(List.of(tp));
                List<String> seen = new ArrayList<>();
                assertThatThrownBy(() -> c.poll(Duration.ofSeconds(5), v -> {
                    if (v.value().equals("bad")) {
                        throw new IllegalArgumentException("cannot handle " + v.offset());
                    }
                    seen.add(v.value());
                })).isInstanceOf(IllegalArgumentException.class).hasMessage("cannot handle 2");
                assertThat(seen).containsExactly("a", "b");
                assertThat(c.position(tp)).isEqualTo(2);
                List<Long> again = new ArrayList<>();
                assertThat(c.poll(Duration.ofSeconds(5), v -> again.add(v.offset()))).isEqualTo(2);
                assertThat(again).containsExactly(2L, 3L);
            }
        }
    }

    @Test
    void shouldLetAHandlerSeekAndCommitButNotPollOrClose() throws Exception {
        try (Log log = Log.open(dir)) {
            log.createTopic("t", TopicConfig.partitions(1));
            TopicPartition tp = new TopicPartition("t", 0);
            try (Producer<String, String> p = log.producer(Serdes.string(), Serdes.string())) {
                for (int i = 0; i < 10; i++) {
                    p.send("t", null, "v" + i);
                }
            }
            try (Consumer<String, String> c = log.consumer(Serdes.string(), Serdes.string(),
                    ConsumerConfig.group("g").withAutoCommit(false))) {
                c.assign(List.of(tp));
                List<Long> seen = new ArrayList<>();
                // Commit inside the handler: the positions as they are, before the record in hand.
                assertThat(c.poll(Duration.ofSeconds(5), v -> {
                    seen.add(v.offset());
                    if (v.offset() == 2) {
                        c.commitSync();
                        c.seek(tp, 7); // skip 3-6: this poll stops here, the next reads from 7
                    }
                })).isEqualTo(3);
                assertThat(seen).containsExactly(0L, 1L, 2L);
                assertThat(c.committed(tp)).hasValue(2);
                assertThat(c.position(tp)).isEqualTo(7);
                assertThat(c.poll(Duration.ofSeconds(5), v -> seen.add(v.offset()))).isEqualTo(3);
                assertThat(seen).containsExactly(0L, 1L, 2L, 7L, 8L, 9L);
                c.seek(tp, 0);
                for (String call : List.of("poll", "close", "assign")) {
                    assertThatThrownBy(() -> c.poll(Duration.ofSeconds(5), v -> {
                        switch (call) {
                            case "poll" -> c.poll(Duration.ZERO);
                            case "close" -> c.close();
                            default -> c.assign(List.of(tp));
                        }
                    })).isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining(call + " inside RecordHandler.onRecord");
                    assertThat(c.position(tp)).isZero(); // the handler threw: its record stays first
                }
                assertThat(c.poll(Duration.ofSeconds(5), v -> { })).isEqualTo(10);
            }
        }
    }

    @Test
    void shouldReportADecodeFailureWithItsPosition() throws Exception {
        try (Log log = Log.open(dir)) {
            log.createTopic("t", TopicConfig.partitions(1));
            TopicPartition tp = new TopicPartition("t", 0);
            try (Producer<byte[], byte[]> p = log.producer(Serdes.bytes(), Serdes.bytes())) {
                p.send("t", null, Serdes.longs().serialize(7L));
                p.send("t", null, new byte[3]); // not a long
            }
            try (Consumer<byte[], Long> c = log.consumer(Serdes.bytes(), Serdes.longs(), ConsumerConfig.defaults())) {
                c.assign(List.of(tp));
                List<Long> values = new ArrayList<>();
                assertThatThrownBy(() -> c.poll(Duration.ofSeconds(5), v -> values.add(v.value())))
                        .isInstanceOf(RecordDecodeException.class).hasMessageContaining("offset=1")
                        .hasMessageContaining("seek to offset 2");
                assertThat(values).containsExactly(7L);
                assertThat(c.position(tp)).isEqualTo(1);
                // The raw bytes are still readable in place: a dead-letter handler needs no serde.
                List<Integer> lengths = new ArrayList<>();
                assertThat(c.poll(Duration.ofSeconds(5), v -> lengths.add(v.valueLength()))).isEqualTo(1);
                assertThat(lengths).containsExactly(3);
            }
        }
    }

    @Test
    void shouldRefuseAViewOutsideItsHandler() throws Exception {
        try (Log log = Log.open(dir)) {
            log.createTopic("t", TopicConfig.partitions(1));
            try (Producer<String, String> p = log.producer(Serdes.string(), Serdes.string())) {
                p.send("t", "k", "v");
            }
            try (Consumer<String, String> c = log.consumer(Serdes.string(), Serdes.string(), ConsumerConfig.defaults())) {
                c.assign(List.of(new TopicPartition("t", 0)));
                AtomicReference<RecordView<String, String>> kept = new AtomicReference<>();
                AtomicReference<ConsumerRecord<String, String>> copy = new AtomicReference<>();
                assertThat(c.poll(Duration.ofSeconds(5), v -> {
                    kept.set(v);
                    copy.set(v.toRecord());
                })).isEqualTo(1);
                assertThatThrownBy(() -> kept.get().offset()).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("only inside RecordHandler.onRecord");
                assertThatThrownBy(() -> kept.get().value()).isInstanceOf(IllegalStateException.class);
                assertThatThrownBy(() -> kept.get().valueBuffer()).isInstanceOf(IllegalStateException.class);
                assertThatThrownBy(() -> kept.get().keyBuffer()).isInstanceOf(IllegalStateException.class);
                assertThat(copy.get().key()).isEqualTo("k");
                assertThat(copy.get().value()).isEqualTo("v");
                c.seek(new TopicPartition("t", 0), 0);
                assertThatThrownBy(() -> c.poll(Duration.ofSeconds(5), v -> v.buffer().put(0, (byte) 1)))
                        .isInstanceOf(ReadOnlyBufferException.class);
                c.seek(new TopicPartition("t", 0), 0);
                assertThatThrownBy(() -> c.poll(Duration.ofSeconds(5), v -> v.valueBuffer().put((byte) 1)))
                        .isInstanceOf(ReadOnlyBufferException.class);
            }
        }
    }

    @Test
    void shouldCommitTheViewedPositionsAndWaitForData() throws Exception {
        try (Log log = Log.open(dir)) {
            log.createTopic("t", TopicConfig.partitions(2));
            try (Producer<String, String> p = log.producer(Serdes.string(), Serdes.string())) {
                for (int i = 0; i < 100; i++) {
                    p.send("t", "k" + i, "v" + i);
                }
            }
            List<String> first = new ArrayList<>();
            try (Consumer<String, String> c = log.consumer(Serdes.string(), Serdes.string(),
                    ConsumerConfig.group("g").withMaxPollRecords(30).withAutoCommit(false))) {
                c.subscribe(List.of("t"));
                while (first.size() < 60) {
                    c.poll(Duration.ofSeconds(5), v -> first.add(v.value()));
                }
                c.commitSync();
            }
            List<String> rest = new ArrayList<>();
            try (Producer<String, String> p = log.producer(Serdes.string(), Serdes.string());
                    Consumer<String, String> c = log.consumer(Serdes.string(), Serdes.string(), ConsumerConfig.group("g"))) {
                c.subscribe(List.of("t"));
                while (rest.size() < 100 - first.size()) {
                    c.poll(Duration.ofSeconds(5), v -> rest.add(v.value()));
                }
                assertThat(c.poll(Duration.ofMillis(100), v -> rest.add(v.value()))).isZero();
                // A poll waiting for data gets a record appended while it waits.
                Thread later = new Thread(() -> {
                    try {
                        Thread.sleep(200);
                        p.send("t", "late", "v-late").get();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                later.start();
                assertThat(c.poll(Duration.ofSeconds(10), v -> rest.add(v.value()))).isEqualTo(1);
                later.join();
            }
            List<String> all = new ArrayList<>(first);
            all.addAll(rest);
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                expected.add("v" + i);
            }
            expected.add("v-late");
            assertThat(all).containsExactlyInAnyOrderElementsOf(expected);
        }
    }
}
