package io.runnel.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Public API behaviour: serdes, timestamps, topics, errors that name the value and the fix. */
class ApiTest {
    @TempDir
    Path dir;

    record PageView(String url, long ts, List<String> tags) {
    }

    @Test
    void serdesRoundTripAndKryoNeedsRegistration() throws Exception {
        assertThat(Serdes.longs().deserialize(Serdes.longs().serialize(-5L))).isEqualTo(-5L);
        assertThat(Serdes.integers().deserialize(Serdes.integers().serialize(7))).isEqualTo(7);
        assertThat(Serdes.doubles().deserialize(Serdes.doubles().serialize(2.5))).isEqualTo(2.5);
        assertThat(Serdes.string().deserialize(Serdes.string().serialize("héllo 🌊"))).isEqualTo("héllo 🌊");
        assertThat(Serdes.string().serialize(null)).isNull();
        assertThatThrownBy(() -> Serdes.longs().deserialize(new byte[3])).isInstanceOf(SerializationException.class)
                .hasMessageContaining("exactly 8 bytes");
        KryoSerde<PageView> serde = KryoSerde.of(PageView.class, ArrayList.class);
        PageView v = new PageView("/a", 5L, new ArrayList<>(List.of("x", "y")));
        byte[] bytes = serde.serialize(v);
        // Another instance with the same registrations (a restart) reads the same bytes.
        assertThat(KryoSerde.of(PageView.class, ArrayList.class).deserialize(bytes)).isEqualTo(v);
        assertThatThrownBy(() -> KryoSerde.of(PageView.class).serialize(v)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("register");
        assertThatThrownBy(() -> serde.deserialize(new byte[] {1, 2, 3})).isInstanceOf(SerializationException.class);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Boolean>> fs = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            fs.add(pool.submit(() -> {
                for (int i = 0; i < 2000; i++) {
                    PageView p = new PageView("/" + i, i, new ArrayList<>(List.of("t" + i)));
                    if (!serde.deserialize(serde.serialize(p)).equals(p)) {
                        return false;
                    }
                }
                return true;
            }));
        }
        for (Future<Boolean> f : fs) {
            assertThat(f.get()).isTrue();
        }
        pool.shutdown();
    }

    @Test
    void shouldFindOffsetsByTimestampAndDescribeTopics() throws Exception {
        try (Log log = Log.open(dir, LogConfig.defaults().withSegmentBytes(2048).withIndexIntervalBytes(128))) {
            log.createTopic("t", TopicConfig.partitions(1));
            TopicPartition tp = new TopicPartition("t", 0);
            try (Producer<String, String> p = log.producer(Serdes.string(), Serdes.string())) {
                for (int i = 0; i < 300; i++) {
                    p.send(ProducerRecord.<String, String>of("t", null, "v" + i).withTimestampMs(1000L + i * 10L)
                            .withHeaders(Headers.empty().with("i", new byte[] {(byte) i})));
                    if (i % 7 == 0) {
                        p.flush();
                    }
                }
            }
            assertThat(log.offsetForTimestamp(tp, 0)).hasValue(0);
            assertThat(log.offsetForTimestamp(tp, 1000 + 1234)).hasValue(124);
            assertThat(log.offsetForTimestamp(tp, 1000 + 1230)).hasValue(123);
            assertThat(log.offsetForTimestamp(tp, 99_999)).isEmpty();
            try (Consumer<String, String> c = log.consumer(Serdes.string(), Serdes.string(), ConsumerConfig.defaults())) {
                c.assign(List.of(tp));
                c.seekToTimestamp(tp, 1000 + 2500);
                ConsumerRecord<String, String> r = c.poll(Duration.ofSeconds(5)).iterator().next();
                assertThat(r.offset()).isEqualTo(250);
                assertThat(r.headers().lastHeader("i").value()).containsExactly((byte) 250);
                c.seekToEnd(List.of(tp));
                assertThat(c.position(tp)).isEqualTo(300);
            }
            TopicDescription d = log.describe("t");
            assertThat(d.partitions()).hasSize(1);
            assertThat(d.partitions().get(0).endOffset()).isEqualTo(300);
            assertThat(d.partitions().get(0).segmentCount()).isGreaterThan(1);
            assertThat(d.sizeInBytes()).isPositive();
            assertThat(log.topicConfig("t").partitionCount()).isEqualTo(1);
            assertThatThrownBy(() -> log.createTopic("t", TopicConfig.partitions(1)))
                    .isInstanceOf(TopicExistsException.class).hasMessageContaining("createTopicIfAbsent");
            assertThat(log.createTopicIfAbsent("t", TopicConfig.partitions(1))).isFalse();
            log.deleteTopic("t");
            assertThat(log.topics()).isEmpty();
            assertThatThrownBy(() -> log.endOffset(tp)).isInstanceOf(UnknownTopicException.class);
        }
        try (Log log = Log.open(dir)) {
            assertThat(log.topics()).isEmpty();
        }
    }

    @Test
    void shouldReportADecodeFailureWithItsPositionAndContinueAfterASeek() throws Exception {
        Serde<String> picky = new Serde<>() {
            @Override
            public byte[] serialize(String value) {
                return Serdes.string().serialize(value);
            }

            @Override
            public String deserialize(byte[] bytes) {
                String s = Serdes.string().deserialize(bytes);
                if (s.equals("bad")) {
                    throw new SerializationException("not a good value");
                }
                return s;
            }
        };
        try (Log log = Log.open(dir)) {
            log.createTopic("t", TopicConfig.partitions(1));
            TopicPartition tp = new TopicPartition("t", 0);
            try (Producer<String, String> p = log.producer(Serdes.string(), Serdes.string())) {
                for (String v : List.of("a", "b", "bad", "c")) {
                    p.send("t", null, v);
                }
            }
            try (Consumer<String, String> c = log.consumer(Serdes.string(), picky, ConsumerConfig.defaults())) {
                c.assign(List.of(tp));
                assertThat(c.poll(Duration.ofSeconds(5)).asList()).extracting(ConsumerRecord::value)
                        .containsExactly("a", "b");
                assertThatThrownBy(() -> c.poll(Duration.ofSeconds(5))).isInstanceOf(RecordDecodeException.class)
                        .satisfies(e -> {
                            RecordDecodeException d = (RecordDecodeException) e;
                            assertThat(d.partition()).isEqualTo(tp);
                            assertThat(d.offset()).isEqualTo(2);
                        }).hasMessageContaining("seek to offset 3");
                assertThat(c.position(tp)).isEqualTo(2);
                c.seek(tp, 3); // dead-lettered by the caller
                assertThat(c.poll(Duration.ofSeconds(5)).asList()).extracting(ConsumerRecord::value).containsExactly("c");
            }
        }
    }

    @Test
    void errorsNameTheValueAndTheFix() {
        assertThatThrownBy(() -> TopicConfig.partitions(0)).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("was 0");
        assertThatThrownBy(() -> LogConfig.defaults().withRingBufferSize(1000))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("power of two");
        assertThatThrownBy(() -> Durability.interval(Duration.ZERO)).isInstanceOf(InvalidConfigException.class);
        Log log = Log.open(dir);
        assertThatThrownBy(() -> log.createTopic("bad/name", TopicConfig.partitions(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[A-Za-z0-9._-]");
        Producer<String, String> p = log.producer(Serdes.string(), Serdes.string());
        log.close();
        assertThatThrownBy(() -> log.topics()).isInstanceOf(LogClosedException.class).hasMessageContaining("open it again");
        assertThatThrownBy(() -> p.send("t", "k", "v")).isInstanceOf(LogClosedException.class);
    }
}
