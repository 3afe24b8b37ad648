package io.runnel.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.log.storage.FaultInjectingStorage;
import io.runnel.log.testing.PartitionContents;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Poison requests fail alone; the writer keeps running; nothing is written for them. */
class PoisonRequestTest {
    @TempDir
    Path dir;

    private static final Serde<String> THROWING = new Serde<>() {
        @Override
        public byte[] serialize(String value) {
            if (value.startsWith("poison")) {
                throw new IllegalStateException("cannot serialize " + value);
            }
            return Serdes.string().serialize(value);
        }

        @Override
        public String deserialize(byte[] bytes) {
            return Serdes.string().deserialize(bytes);
        }
    };

    @Test
    void shouldFailOnlyThePoisonRequest() throws Exception {
        try (Log log = Log.open(dir, LogConfig.defaults().withMaxRecordBytes(1024))) {
            log.createTopic("t", TopicConfig.partitions(1));
            TopicPartition tp = new TopicPartition("t", 0);
            Producer<String, String> p = log.producer(Serdes.string(), THROWING);
            p.send("t", "a", "ok-1").get();
            assertThatThrownBy(() -> p.send("t", "a", "poison-1")).isInstanceOf(SerializationException.class)
                    .hasMessageContaining("nothing was sent");
            assertThatThrownBy(() -> p.send("t", "a", "x".repeat(2000))).isInstanceOf(RecordTooLargeException.class)
                    .hasMessageContaining("sizeInBytes=").hasMessageContaining("maxRecordBytes=1024");
            assertThatThrownBy(() -> p.sendAll(List.of(ProducerRecord.of("t", "a", "ok-x"),
                    ProducerRecord.of("t", "a", "poison-2")))).isInstanceOf(SerializationException.class);
            assertThatThrownBy(() -> p.send("nope", "a", "v")).isInstanceOf(UnknownTopicException.class)
                    .hasMessageContaining("create it with Log.createTopic");
            assertThatThrownBy(() -> p.send(ProducerRecord.<String, String>of("t", "a", "v").withPartition(5)))
                    .isInstanceOf(InvalidPartitionException.class).hasMessageContaining("partitions 0..0");
            // A producer callback that throws does not hurt the journal either.
            p.send("t", "a", "ok-2").thenAccept(m -> {
                throw new IllegalStateException("callback blew up");
            });
            CompletableFuture<RecordMetadata> after = p.send("t", "a", "ok-3");
            assertThat(after.get().offset()).isEqualTo(2);
            assertThat(log.endOffset(tp)).isEqualTo(3);
            assertThat(PartitionContents.readAll(log, tp)).extracting(ConsumerRecord::value)
                    .containsExactly("ok-1", "ok-2", "ok-3");
        }
    }

    @Test
    void shouldFailWritesOnAFullDiskAndResumeWhenSpaceReturns() throws Exception {
        FaultInjectingStorage disk = new FaultInjectingStorage();
        Path d = FaultInjectingStorage.path("/full/log");
        try (Log log = Log.open(d, LogConfig.defaults().withStorage(disk))) {
            log.createTopic("t", TopicConfig.partitions(1));
            TopicPartition tp = new TopicPartition("t", 0);
            Producer<String, String> p = log.producer(Serdes.string(), Serdes.string());
            p.send("t", null, "before").get();
            disk.setDiskFull(true);
            List<CompletableFuture<RecordMetadata>> fs = p.sendAll(List.of(ProducerRecord.of("t", null, "full-1"),
                    ProducerRecord.of("t", null, "full-2")));
            for (CompletableFuture<RecordMetadata> f : fs) {
                assertThat(f).failsWithin(java.time.Duration.ofSeconds(10)).withThrowableOfType(Exception.class)
                        .withCauseInstanceOf(StorageFailureException.class)
                        .withMessageContaining("No space left on device");
            }
            assertThat(log.endOffset(tp)).isEqualTo(1);
            disk.setDiskFull(false);
            assertThat(p.send("t", null, "after").get().offset()).isEqualTo(1);
            assertThat(PartitionContents.readAll(log, tp)).extracting(ConsumerRecord::value)
                    .containsExactly("before", "after");
        }
        try (Log log = Log.open(d, LogConfig.defaults().withStorage(disk.crash(new java.util.Random(1))))) {
            assertThat(PartitionContents.readAll(log, new TopicPartition("t", 0))).extracting(ConsumerRecord::value)
                    .containsExactly("before", "after");
        }
    }
}
