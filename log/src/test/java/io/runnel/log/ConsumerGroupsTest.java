package io.runnel.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Group membership, rebalance, committed offsets across restarts, administration. */
class ConsumerGroupsTest {
    @TempDir
    Path dir;

    private static void produce(Log log, int n) throws Exception {
        try (Producer<String, String> p = log.producer(Serdes.string(), Serdes.string())) {
            for (int i = 0; i < n; i++) {
                p.send("t", "k" + i, "v" + i);
            }
        }
    }

    @Test
    void shouldSplitPartitionsAndRebalanceWhenMembersJoinAndLeave() throws Exception {
        try (Log log = Log.open(dir)) {
            log.createTopic("t", TopicConfig.partitions(4));
            produce(log, 100);
            List<String> events = new ArrayList<>();
            RebalanceListener listener = new RebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    events.add("revoked " + partitions.size());
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    events.add("assigned " + partitions.size());
                }
            };
            Consumer<String, String> a = log.consumer(Serdes.string(), Serdes.string(), ConsumerConfig.group("g"));
            a.subscribe(List.of("t"), listener);
            int readByA = a.poll(Duration.ofSeconds(5)).count();
            assertThat(a.assignment()).hasSize(4);
            Consumer<String, String> b = log.consumer(Serdes.string(), Serdes.string(), ConsumerConfig.group("g"));
            b.subscribe(List.of("t"));
            a.poll(Duration.ofMillis(10)); // a releases two partitions (committing their positions)
            b.poll(Duration.ofMillis(10));
            assertThat(a.assignment()).hasSize(2);
            assertThat(b.assignment()).hasSize(2);
            Set<TopicPartition> union = new HashSet<>(a.assignment());
            union.addAll(b.assignment());
            assertThat(union).hasSize(4);
            assertThat(events).contains("assigned 4", "revoked 2");
            TopicPartition lost = new HashSet<>(b.assignment()).iterator().next();
            assertThatThrownBy(() -> a.commit(java.util.Map.of(lost, 0L)))
                    .isInstanceOf(RebalanceInProgressException.class).hasMessageContaining("no longer owns");
            var desc = log.groups().describe("g");
            assertThat(desc.members()).hasSize(2);
            assertThatThrownBy(() -> log.groups().resetOffsets("g", List.of(new TopicPartition("t", 0)),
                    OffsetReset.earliest())).isInstanceOf(GroupActiveException.class).hasMessageContaining("close them");
            b.close();
            a.poll(Duration.ofMillis(10));
            assertThat(a.assignment()).hasSize(4);
            int rest = 0;
            ConsumerRecords<String, String> rs;
            while (!(rs = a.poll(Duration.ofMillis(200))).isEmpty()) {
                rest += rs.count();
            }
            assertThat(readByA + rest).isLessThanOrEqualTo(100);
            a.close();
            var after = log.groups().describe("g");
            assertThat(after.members()).isEmpty();
            long lag = after.partitions().values().stream().mapToLong(ConsumerGroups.PartitionOffsets::lag).sum();
            assertThat(lag).isZero();
            assertThat(log.groups().list()).contains("g");
        }
    }

    @Test
    void shouldResumeFromCommittedOffsetsAfterRestart() throws Exception {
        TopicPartition tp = new TopicPartition("t", 0);
        try (Log log = Log.open(dir)) {
            log.createTopic("t", TopicConfig.partitions(1));
            produce(log, 50);
            try (Consumer<String, String> c = log.consumer(Serdes.string(), Serdes.string(),
                    ConsumerConfig.group("g").withMaxPollRecords(20).withAutoCommit(false))) {
                c.subscribe(List.of("t"));
                assertThat(c.poll(Duration.ofSeconds(5)).count()).isEqualTo(20);
                c.commitSync();
                assertThat(c.committed(tp)).hasValue(20);
            }
        }
        try (Log log = Log.open(dir)) {
            try (Consumer<String, String> c = log.consumer(Serdes.string(), Serdes.string(), ConsumerConfig.group("g"))) {
                c.subscribe(List.of("t"));
                ConsumerRecords<String, String> rs = c.poll(Duration.ofSeconds(5));
                assertThat(rs.iterator().next().offset()).isEqualTo(20);
            }
            // Administration: reset to time, offset, earliest, latest.
            log.groups().resetOffsets("g", List.of(tp), OffsetReset.toOffset(7));
            assertThat(log.groups().describe("g").partitions().get(tp).committed()).hasValue(7);
            log.groups().resetOffsets("g", List.of(tp), OffsetReset.latest());
            assertThat(log.groups().describe("g").partitions().get(tp).lag()).isZero();
            log.groups().resetOffsets("g", List.of(tp), OffsetReset.toTime(Instant.EPOCH));
            assertThat(log.groups().describe("g").partitions().get(tp).committed()).hasValue(0);
            log.groups().resetOffsets("g", List.of(tp), OffsetReset.earliest());
            log.groups().delete("g");
            assertThat(log.groups().list()).doesNotContain("g");
        }
    }

    /** Found by the CLI: 'runnel group describe' hid the lag of partitions a group never committed. */
    @Test
    void shouldDescribeEveryPartitionOfACommittedTopicWithItsLag() throws Exception {
        try (Log log = Log.open(dir)) {
            log.createTopic("t", TopicConfig.partitions(3));
            try (Producer<String, String> p = log.producer(Serdes.string(), Serdes.string())) {
                for (int part = 0; part < 3; part++) {
                    for (int i = 0; i < 5; i++) {
                        p.send(ProducerRecord.<String, String>of("t", null, "v").withPartition(part));
                    }
                }
            }
            TopicPartition t0 = new TopicPartition("t", 0);
            log.groups().resetOffsets("g", List.of(t0), OffsetReset.latest());
            var partitions = log.groups().describe("g").partitions();
            assertThat(partitions.keySet()).containsExactly(t0, new TopicPartition("t", 1), new TopicPartition("t", 2));
            assertThat(partitions.get(t0).lag()).isZero();
            assertThat(partitions.get(new TopicPartition("t", 2)).committed()).isEmpty();
            assertThat(partitions.get(new TopicPartition("t", 2)).lag()).isEqualTo(5);
        }
    }

    @Test
    void shouldWakeUpABlockedPollAndWaitWithoutSpinning() throws Exception {
        try (Log log = Log.open(dir)) {
            log.createTopic("t", TopicConfig.partitions(1));
            Consumer<String, String> c = log.consumer(Serdes.string(), Serdes.string(), ConsumerConfig.defaults());
            c.assign(List.of(new TopicPartition("t", 0)));
            Thread t = new Thread(() -> {
                try {
                    Thread.sleep(200);
                    produce(log, 1);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
            long cpu0 = mx.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            t.start();
            ConsumerRecords<String, String> rs = c.poll(Duration.ofSeconds(10));
            long waitedMs = (System.nanoTime() - t0) / 1_000_000;
            long cpuMs = (mx.getCurrentThreadCpuTime() - cpu0) / 1_000_000;
            assertThat(rs.count()).isEqualTo(1);
            assertThat(waitedMs).isLessThan(5_000);
            assertThat(cpuMs).as("cpu while waiting %d ms", waitedMs).isLessThan(Math.max(50, waitedMs / 2));
            Thread w = new Thread(() -> {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
                c.wakeup();
            });
            w.start();
            assertThat(c.poll(Duration.ofSeconds(30)).isEmpty()).isTrue();
            c.close();
        }
    }
}
