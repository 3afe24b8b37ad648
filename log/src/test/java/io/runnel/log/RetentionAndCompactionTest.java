package io.runnel.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.log.internal.TestHooks;
import io.runnel.log.testing.MutableClock;
import io.runnel.log.testing.PartitionContents;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention by age and size (closed segments only, append time), compaction, segment age rolls. */
class RetentionAndCompactionTest {
    @TempDir
    Path dir;
    final TopicPartition tp = new TopicPartition("t", 0);

    private static LogConfig config(MutableClock clock) {
        return LogConfig.defaults().withClock(clock).withSegmentBytes(4096)
                .withRetentionCheckInterval(Duration.ofHours(1)); // passes run on demand below
    }

    private static void clean(Log log) throws Exception {
        var m = log.getClass().getDeclaredMethod("cleanNow");
        m.setAccessible(true);
        m.invoke(log);
    }

    private static void fill(Producer<String, String> p, int n, long timestampMs) throws Exception {
        for (int i = 0; i < n; i++) {
            p.send(ProducerRecord.<String, String>of("t", "k" + i, "v".repeat(100)).withTimestampMs(timestampMs));
            if (i % 10 == 9) {
                p.flush(); // many small batches, so segments roll
            }
        }
        p.flush();
    }

    @Test
    void shouldDeleteClosedSegmentsByAppendTimeNotRecordTimestamps() throws Exception {
        checkRetentionByAppendTime(dir);
    }

    /** The oracle can fail: retention by record timestamps deletes replayed history at once. */
    @Test
    void oracleCatchesRetentionByRecordTimestamps() {
        TestHooks.retentionByRecordTimestamp(true);
        try {
            assertThatThrownBy(() -> checkRetentionByAppendTime(dir)).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("young by append time: kept");
        } finally {
            TestHooks.retentionByRecordTimestamp(false);
        }
    }

    /** The retention oracle: closed segments go once their append time is too old, never before. */
    static void checkRetentionByAppendTime(Path dir) throws Exception {
        TopicPartition tp = new TopicPartition("t", 0);
        MutableClock clock = new MutableClock(1_000_000_000_000L);
        try (Log log = Log.open(dir, config(clock))) {
            log.createTopic("t", TopicConfig.partitions(1).withRetention(Duration.ofHours(1)));
            Producer<String, String> p = log.producer(Serdes.string(), Serdes.string());
            fill(p, 200, 0L); // replayed history: record timestamps from 1970
            int segments = log.describe("t").partitions().get(0).segmentCount();
            assertThat(segments).isGreaterThan(3);
            clean(log);
            assertThat(log.startOffset(tp)).as("young by append time: kept").isZero();
            clock.advance(Duration.ofHours(2));
            clean(log);
            PartitionInfo info = log.describe("t").partitions().get(0);
            assertThat(info.segmentCount()).as("only the active segment survives").isEqualTo(1);
            assertThat(info.startOffset()).isPositive().isLessThanOrEqualTo(200);
            // A consumer below the start gets a clear error (or a reset, per config).
            try (Consumer<String, String> c = log.consumer(Serdes.string(), Serdes.string(),
                    ConsumerConfig.defaults().withAutoOffsetReset(ConsumerConfig.AutoOffsetReset.NONE))) {
                c.assign(List.of(tp));
                c.seek(tp, 0);
                assertThatThrownBy(() -> c.poll(Duration.ofMillis(100))).isInstanceOf(OffsetOutOfRangeException.class)
                        .hasMessageContaining("valid range is [" + info.startOffset());
            }
            try (Consumer<String, String> c = log.consumer(Serdes.string(), Serdes.string(), ConsumerConfig.defaults())) {
                c.assign(List.of(tp));
                c.seek(tp, 0);
                assertThat(c.poll(Duration.ofSeconds(1)).iterator().next().offset()).isEqualTo(info.startOffset());
            }
        }
        try (Log log = Log.open(dir, config(clock))) { // the start survives a restart
            assertThat(log.startOffset(tp)).isPositive();
        }
    }

    @Test
    void shouldKeepPartitionsUnderTheRetentionSize() throws Exception {
        MutableClock clock = new MutableClock(1_000_000_000_000L);
        try (Log log = Log.open(dir, config(clock))) {
            log.createTopic("t", TopicConfig.partitions(1).withRetentionBytes(10_000));
            Producer<String, String> p = log.producer(Serdes.string(), Serdes.string());
            fill(p, 400, clock.millis());
            clean(log);
            PartitionInfo info = log.describe("t").partitions().get(0);
            assertThat(info.sizeInBytes()).isLessThanOrEqualTo(10_000 + 4096);
            assertThat(info.endOffset()).isEqualTo(400);
            assertThat(PartitionContents.readAll(log, tp)).hasSize((int) (400 - info.startOffset()));
        }
    }

    @Test
    void shouldRollTheActiveSegmentByAge() throws Exception {
        MutableClock clock = new MutableClock(1_000_000_000_000L);
        try (Log log = Log.open(dir, config(clock).withSegmentBytes(1 << 20).withSegmentAge(Duration.ofMinutes(10)))) {
            log.createTopic("t", TopicConfig.partitions(1));
            Producer<String, String> p = log.producer(Serdes.string(), Serdes.string());
            fill(p, 5, clock.millis());
            clock.advance(Duration.ofMinutes(11));
            fill(p, 5, clock.millis());
            assertThat(log.describe("t").partitions().get(0).segmentCount()).isEqualTo(2);
        }
    }

    @Test
    void shouldCompactToTheLatestRecordPerKeyAndDropOldTombstones() throws Exception {
        MutableClock clock = new MutableClock(1_000_000_000_000L);
        for (Compression compression : Compression.values()) {
            checkCompaction(dir.resolve(compression.name()), compression, clock);
        }
    }

    /** The oracle can fail: compaction that keeps the oldest record per key loses the latest values. */
    @Test
    void oracleCatchesCompactionKeepingTheOldestValue() {
        TestHooks.compactionKeepsOldest(true);
        try {
            assertThatThrownBy(() -> checkCompaction(dir, Compression.NONE, new MutableClock(1_000_000_000_000L)))
                    .isInstanceOf(AssertionError.class).hasMessageContaining("latest record per key");
        } finally {
            TestHooks.compactionKeepsOldest(false);
        }
    }

    /**
     * The compaction oracle: after compaction, reading the partition gives the latest value of every
     * key (tombstoned keys gone), offsets kept and increasing, superseded records removed.
     */
    static void checkCompaction(Path d, Compression compression, MutableClock clock) throws Exception {
        TopicPartition tp = new TopicPartition("t", 0);
        Map<String, String> expected = new HashMap<>();
        try (Log log = Log.open(d, config(clock))) {
            log.createTopic("t", TopicConfig.partitions(1).withCleanupPolicy(CleanupPolicy.COMPACT)
                    .withCompression(compression).withTombstoneRetention(Duration.ofMinutes(5)));
            Producer<String, String> p = log.producer(Serdes.string(), Serdes.string());
            for (int i = 0; i < 600; i++) {
                String k = "k" + (i % 37);
                String v = i % 50 == 49 ? null : "value-" + i + "-" + "p".repeat(40);
                p.send("t", k, v);
                if (i % 10 == 9) {
                    p.flush();
                }
                if (v == null) {
                    expected.remove(k);
                } else {
                    expected.put(k, v);
                }
            }
            p.flush();
            long end = log.endOffset(tp);
            clock.advance(Duration.ofMinutes(10));
            clean(log);
            var got = PartitionContents.readAll(log, tp);
            Map<String, String> latest = new HashMap<>();
            long prev = -1;
            for (ConsumerRecord<String, String> r : got) {
                assertThat(r.offset()).isGreaterThan(prev); // offsets kept, increasing
                prev = r.offset();
                if (r.value() == null) {
                    latest.remove(r.key());
                } else {
                    latest.put(r.key(), r.value());
                }
            }
            assertThat(latest).as("latest record per key").isEqualTo(expected);
            // Closed segments keep only each key's latest record (the active one is never compacted).
            long activeBase;
            try (var files = java.nio.file.Files.list(d.resolve("t").resolve("0"))) {
                activeBase = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".log"))
                        .mapToLong(n -> Long.parseLong(n.substring(0, 20))).max().orElseThrow();
            }
            assertThat(activeBase).as("closed segments to compact").isPositive();
            Map<String, Long> lastOffsetOfKey = new HashMap<>();
            got.forEach(r -> lastOffsetOfKey.put(r.key(), r.offset()));
            long superseded = got.stream()
                    .filter(r -> r.offset() < activeBase && lastOffsetOfKey.get(r.key()) != r.offset()).count();
            assertThat(superseded).as("%s: superseded records left in compacted segments (not the latest record per"
                    + " key)", compression).isZero();
            assertThat(log.endOffset(tp)).isEqualTo(end);
            assertThat(p.send("t", "k1", "after").get().offset()).isEqualTo(end);
        }
        try (Log log = Log.open(d, config(clock))) { // compacted segments recover cleanly
            assertThat(log.endOffset(tp)).isEqualTo(601);
        }
    }
}
