package io.runnel.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.log.storage.FaultInjectingStorage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Backpressure on a full ring, and the INTERVAL policy's periodic force. */
class BackpressureAndIntervalTest {
    static final Path DIR = FaultInjectingStorage.path("/bp/log");

    @Test
    void shouldBlockOnAFullRingThenFailWithBackpressureTimeout() throws Exception {
        FaultInjectingStorage disk = new FaultInjectingStorage();
        CountDownLatch gate = new CountDownLatch(1);
        try (Log log = Log.open(DIR, LogConfig.defaults().withStorage(disk).withRingBufferSize(8)
                .withBackpressureTimeout(Duration.ofMillis(200)))) {
            log.createTopic("t", TopicConfig.partitions(1));
            Producer<String, String> p = log.producer(Serdes.string(), Serdes.string());
            disk.holdForces(gate); // the first force stalls: the forcer's queue, then the ring fill up
            List<CompletableFuture<RecordMetadata>> accepted = new ArrayList<>();
            try {
                long t0 = System.nanoTime();
                assertThatThrownBy(() -> {
                    for (int i = 0; i < 100; i++) {
                        accepted.add(p.send("t", null, "v" + i));
                    }
                }).isInstanceOf(BackpressureTimeoutException.class).hasMessageContaining("ringBufferSize=8")
                        .hasMessageContaining("backpressureTimeout");
                long waitedMs = (System.nanoTime() - t0) / 1_000_000;
                assertThat(waitedMs).isGreaterThanOrEqualTo(190);
                // Accepted, at most: the group in the held force and the drains queued behind it (each
                // under 8 + 8 requests: the forcer queue takes drains while under a ring's worth), the
                // drain the journal holds while it waits to hand it over (8), and the full ring (8).
                assertThat(accepted.size()).isBetween(8, 2 * 15 + 8 + 8);
            } finally {
                gate.countDown(); // also when an assertion failed: the close would wait for the force
                disk.holdForces(null);
            }
            for (CompletableFuture<RecordMetadata> f : accepted) {
                f.get();
            }
            assertThat(p.send("t", null, "after").get().offset()).isEqualTo(accepted.size());
        }
    }

    @Test
    void intervalPolicyAcksBeforeForceAndForcesPeriodically() throws Exception {
        FaultInjectingStorage disk = new FaultInjectingStorage();
        try (Log log = Log.open(DIR, LogConfig.defaults().withStorage(disk)
                .withDurability(Durability.interval(Duration.ofMillis(50))))) {
            log.createTopic("t", TopicConfig.partitions(1));
            Producer<String, String> p = log.producer(Serdes.string(), Serdes.string());
            disk.record(true);
            p.send("t", null, "v").get();
            // Acknowledged; the periodic force follows within a few intervals even with no more appends.
            long deadline = System.nanoTime() + 5_000_000_000L;
            boolean forced = false;
            while (!forced && System.nanoTime() < deadline) {
                forced = disk.events().stream().anyMatch(e -> e.kind() == FaultInjectingStorage.Kind.FORCE
                        && e.path().toString().endsWith(".log"));
                Thread.sleep(5);
            }
            assertThat(forced).isTrue();
        }
    }

    /**
     * Under INTERVAL the periodic force runs beside the journal: while a force is stuck on a slow
     * disk, appends are still written, published and acknowledged; the recovery point catches up
     * once the force completes. (When the journal forced by itself, every append waited behind it.)
     */
    @Test
    void intervalPolicyKeepsAcknowledgingWhileAForceIsInFlight() throws Exception {
        FaultInjectingStorage disk = new FaultInjectingStorage();
        TopicPartition tp = new TopicPartition("t", 0);
        try (Log log = Log.open(DIR, LogConfig.defaults().withStorage(disk)
                .withDurability(Durability.interval(Duration.ofMillis(5))).withRecoveryPointInterval(Duration.ofMillis(5)))) {
            log.createTopic("t", TopicConfig.partitions(1));
            Producer<String, String> p = log.producer(Serdes.string(), Serdes.string());
            CountDownLatch gate = new CountDownLatch(1);
            disk.holdForces(gate);
            p.send("t", null, "first").get(10, java.util.concurrent.TimeUnit.SECONDS);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (disk.heldForces() == 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(disk.heldForces()).as("the flusher is stuck in a force").isPositive();
            List<CompletableFuture<RecordMetadata>> acks = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                acks.add(p.send("t", null, "v" + i));
            }
            for (CompletableFuture<RecordMetadata> f : acks) {
                f.get(10, java.util.concurrent.TimeUnit.SECONDS); // generous: a bound, not a timing test
            }
            assertThat(disk.heldForces()).as("acknowledged while the force was still held").isPositive();
            assertThat(log.endOffset(tp)).isEqualTo(101);
            gate.countDown();
            disk.holdForces(null);
            deadline = System.nanoTime() + 10_000_000_000L;
            while (log.describe("t").partitions().get(0).recoveryPoint() < 101 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertThat(log.describe("t").partitions().get(0).recoveryPoint()).as("forced and persisted").isEqualTo(101);
        }
    }
}
