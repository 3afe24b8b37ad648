package io.runnel.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.log.storage.FaultInjectingStorage;
import io.runnel.log.testing.MutableClock;
import io.runnel.log.testing.PartitionContents;
import io.runnel.log.testing.TestSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Power cuts in the middle of offset commits (100 seeds) and of retention deletes (50 seeds),
 * RELIABILITY.md "Consumers and retention".
 */
class CrashDuringMaintenanceTest {
    static final Path DIR = FaultInjectingStorage.path("/maint/log");
    static final TopicPartition TP = new TopicPartition("t", 0);

    @Test
    void committedOffsetsNeverGoBackwardsOrBeyondTheEnd() throws Exception {
        long base = TestSettings.seed("crash during offset commit");
        int seeds = TestSettings.count("runnel.test.commit.crashes", 100);
        for (int i = 0; i < seeds; i++) {
            Random r = new Random(base + i);
            FaultInjectingStorage disk = new FaultInjectingStorage();
            long[] lastAcknowledgedCommit = {-1};
            long[] inFlight = {-1};
            long[] atCrash = new long[2];
            try (Log log = Log.open(DIR, LogConfig.defaults().withStorage(disk))) {
                log.createTopic("t", TopicConfig.partitions(1));
                try (Producer<String, String> p = log.producer(Serdes.string(), Serdes.string())) {
                    for (int k = 0; k < 100; k++) {
                        p.send("t", null, "v" + k);
                    }
                }
                disk.crashAtOperation(1 + r.nextInt(60), new Random(r.nextLong()), () -> {
                    atCrash[0] = lastAcknowledgedCommit[0];
                    atCrash[1] = inFlight[0];
                });
                try (Consumer<String, String> c = log.consumer(Serdes.string(), Serdes.string(),
                        ConsumerConfig.group("g").withAutoCommit(false))) {
                    for (long off = 1; off <= 12; off++) {
                        long o = off * 8;
                        synchronized (disk) {
                            inFlight[0] = o;
                        }
                        c.commit(Map.of(TP, o));
                        synchronized (disk) {
                            lastAcknowledgedCommit[0] = o;
                        }
                    }
                }
            }
            FaultInjectingStorage cut = disk.crashed() != null ? disk.crashed() : disk.crash(r);
            long acked = disk.crashed() != null ? atCrash[0] : lastAcknowledgedCommit[0];
            long maxPossible = disk.crashed() != null ? atCrash[1] : lastAcknowledgedCommit[0];
            try (Log log = Log.open(DIR, LogConfig.defaults().withStorage(cut))) {
                try (Consumer<String, String> c = log.consumer(Serdes.string(), Serdes.string(),
                        ConsumerConfig.group("g").withAutoCommit(false))) {
                    long committed = c.committed(TP).orElse(-1);
                    assertThat(committed).as("seed %d: never backwards", base + i).isGreaterThanOrEqualTo(acked);
                    assertThat(committed).as("seed %d: never beyond what was committed", base + i)
                            .isLessThanOrEqualTo(maxPossible).isLessThanOrEqualTo(log.endOffset(TP));
                    c.subscribe(List.of("t"));
                    ConsumerRecords<String, String> rs = c.poll(Duration.ofSeconds(5));
                    long expectedFirst = committed < 0 ? 0 : committed;
                    assertThat(rs.iterator().next().offset()).as("seed %d: 0 skipped", base + i).isEqualTo(expectedFirst);
                }
            }
        }
    }

    @Test
    void retentionUnderCrashesNeverDeletesTheActiveSegmentOrLeavesHoles() throws Exception {
        long base = TestSettings.seed("crash during retention");
        int seeds = TestSettings.count("runnel.test.retention.crashes", 50);
        for (int i = 0; i < seeds; i++) {
            Random r = new Random(base + i);
            FaultInjectingStorage disk = new FaultInjectingStorage();
            MutableClock clock = new MutableClock(1_000_000_000_000L);
            LogConfig config = LogConfig.defaults().withStorage(disk).withClock(clock).withSegmentBytes(2048)
                    .withRetentionCheckInterval(Duration.ofMillis(5));
            long end;
            long startBefore;
            try (Log log = Log.open(DIR, config)) {
                log.createTopic("t", TopicConfig.partitions(1).withRetention(Duration.ofMinutes(1)));
                try (Producer<String, String> p = log.producer(Serdes.string(), Serdes.string())) {
                    for (int k = 0; k < 200; k++) {
                        p.send("t", null, "value-" + k + "-" + "r".repeat(50));
                        if (k % 5 == 4) {
                            p.flush();
                        }
                    }
                }
                end = log.endOffset(TP);
                startBefore = log.startOffset(TP);
                disk.crashAtOperation(1 + r.nextInt(30), new Random(r.nextLong()), null);
                clock.advance(Duration.ofMinutes(2)); // the next background pass deletes closed segments
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (disk.crashed() == null && log.startOffset(TP) == startBefore && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                Thread.sleep(20);
            }
            FaultInjectingStorage cut = disk.crashed() != null ? disk.crashed() : disk.crash(r);
            try (Log log = Log.open(DIR, config.withStorage(cut))) {
                assertThat(log.endOffset(TP)).as("seed %d: active segment intact", base + i).isEqualTo(end);
                long start = log.startOffset(TP);
                assertThat(start).isGreaterThanOrEqualTo(startBefore);
                var got = PartitionContents.readAll(log, TP);
                for (int k = 0; k < got.size(); k++) {
                    assertThat(got.get(k).offset()).as("seed %d: no holes", base + i).isEqualTo(start + k);
                    assertThat(got.get(k).value()).startsWith("value-" + (start + k) + "-");
                }
            }
        }
    }
}
