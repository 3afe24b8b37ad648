package io.runnel.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogSmokeTest {
    @TempDir
    Path dir;

    @Test
    void shouldAppendAndReadBackAcrossReopen() throws Exception {
        try (Log log = Log.open(dir)) {
            log.createTopic("t", TopicConfig.partitions(3));
            try (Producer<String, String> p = log.producer(Serdes.string(), Serdes.string())) {
                List<CompletableFuture<RecordMetadata>> fs = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    fs.add(p.send("t", "k" + (i % 10), "v" + i));
                }
                for (CompletableFuture<RecordMetadata> f : fs) {
                    f.get();
                }
            }
            assertThat(total(log)).isEqualTo(1000);
        }
        try (Log log = Log.open(dir)) {
            assertThat(total(log)).isEqualTo(1000);
            try (Consumer<String, String> c = log.consumer(Serdes.string(), Serdes.string(), ConsumerConfig.defaults())) {
                c.assign(List.of(new TopicPartition("t", 0), new TopicPartition("t", 1), new TopicPartition("t", 2)));
                int n = 0;
                while (n < 1000) {
                    ConsumerRecords<String, String> rs = c.poll(Duration.ofSeconds(5));
                    assertThat(rs.count()).isPositive();
                    n += rs.count();
                }
                assertThat(n).isEqualTo(1000);
            }
            RecordMetadata m = log.<String, String>producer(Serdes.string(), Serdes.string()).send("t", null, "x").get();
            assertThat(m.offset()).isEqualTo(log.endOffset(new TopicPartition("t", m.partition())) - 1);
        }
    }

    @Test
    void shouldRejectSecondWriter() {
        try (Log log = Log.open(dir)) {
            assertThatThrownBy(() -> Log.open(dir)).isInstanceOf(LogLockedException.class)
                    .hasMessageContaining(log.directory().toString()).hasMessageContaining("openReadOnly");
        }
        try (Log log = Log.open(dir)) { // released at close: the next open succeeds
            assertThat(log.isReadOnly()).isFalse();
        }
    }

    private static long total(Log log) {
        long n = 0;
        for (int i = 0; i < 3; i++) {
            n += log.endOffset(new TopicPartition("t", i)) - log.startOffset(new TopicPartition("t", i));
        }
        return n;
    }
}
