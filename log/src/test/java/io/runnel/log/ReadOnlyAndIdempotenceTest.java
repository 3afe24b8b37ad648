package io.runnel.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.log.format.LogFiles;
import io.runnel.log.storage.FaultInjectingStorage;
import io.runnel.log.testing.PartitionContents;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Read-only opens tailing a live log; idempotent producers deduplicating re-sends across restarts. */
class ReadOnlyAndIdempotenceTest {
    @TempDir
    Path dir;

    @Test
    void shouldTailALiveLogFromAReadOnlyOpen() throws Exception {
        LogConfig fast = LogConfig.defaults().withTailPollInterval(Duration.ofMillis(5)).withSegmentBytes(4096);
        try (Log owner = Log.open(dir, fast)) {
            owner.createTopic("t", TopicConfig.partitions(2));
            Producer<String, String> p = owner.producer(Serdes.string(), Serdes.string());
            p.send("t", "a", "before").get();
            try (Log reader = Log.openReadOnly(dir, fast)) {
                assertThat(reader.isReadOnly()).isTrue();
                assertThatThrownBy(() -> reader.producer(Serdes.string(), Serdes.string()))
                        .isInstanceOf(ReadOnlyLogException.class);
                assertThatThrownBy(() -> reader.createTopic("x", TopicConfig.partitions(1)))
                        .isInstanceOf(ReadOnlyLogException.class);
                try (Consumer<String, String> c = reader.consumer(Serdes.string(), Serdes.string(),
                        ConsumerConfig.defaults())) {
                    c.assign(List.of(new TopicPartition("t", 0), new TopicPartition("t", 1)));
                    int n = c.poll(Duration.ofSeconds(5)).count();
                    // Live appends, across many segment rolls, appear in the read-only view.
                    for (int i = 0; i < 500; i++) {
                        p.send("t", "k" + i, "live-" + i + "-" + "x".repeat(50));
                    }
                    p.flush();
                    long deadline = System.nanoTime() + 20_000_000_000L;
                    while (n < 501 && System.nanoTime() < deadline) {
                        n += c.poll(Duration.ofMillis(200)).count();
                    }
                    assertThat(n).isEqualTo(501);
                }
                owner.createTopic("later", TopicConfig.partitions(1));
                owner.producer(Serdes.string(), Serdes.string()).send("later", null, "x").get();
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (!reader.topics().contains("later") && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertThat(reader.topics()).contains("later");
            }
        }
    }

    /**
     * Under FSYNC a read-only view never shows a batch its owner has written but not yet forced and
     * acknowledged (a power cut could still take it back): it is bounded by the owner's shared
     * visible end. Before that bound it showed such a batch at its next tail poll.
     */
    @Test
    void shouldShowOnlyWhatTheOwnerAcknowledged() throws Exception {
        FaultInjectingStorage disk = new FaultInjectingStorage();
        Path d = FaultInjectingStorage.path("/ro/log");
        LogConfig config = LogConfig.defaults().withStorage(disk).withTailPollInterval(Duration.ofMillis(2));
        TopicPartition tp = new TopicPartition("t", 0);
        try (Log owner = Log.open(d, config)) {
            owner.createTopic("t", TopicConfig.partitions(1));
            Producer<String, String> p = owner.producer(Serdes.string(), Serdes.string());
            p.send("t", null, "acknowledged").get();
            Path segment = d.resolve("t").resolve("0").resolve(LogFiles.baseName(0) + LogFiles.LOG_SUFFIX);
            try (Log view = Log.openReadOnly(d, config);
                    Consumer<String, String> c = view.consumer(Serdes.string(), Serdes.string(), ConsumerConfig.defaults())) {
                c.assign(List.of(tp));
                c.seekToBeginning(List.of(tp));
                assertThat(pollFor(c, 1, 10_000)).isEqualTo(1);
                int sizeBefore = disk.contents(segment).length;
                CountDownLatch gate = new CountDownLatch(1);
                disk.holdForces(gate);
                CompletableFuture<RecordMetadata> pending;
                try {
                    pending = p.send("t", null, "written, not yet acknowledged");
                    long deadline = System.nanoTime() + 10_000_000_000L;
                    while ((disk.heldForces() == 0 || disk.contents(segment).length == sizeBefore)
                            && System.nanoTime() < deadline) {
                        Thread.onSpinWait();
                    }
                    assertThat(disk.contents(segment).length).as("the batch is complete in the file")
                            .isGreaterThan(sizeBefore);
                    // 50 tail polls: none may show the batch while its force is held.
                    assertThat(pollFor(c, 1, 100)).as("records shown before the owner acknowledged them").isZero();
                    assertThat(pending).isNotDone();
                } finally {
                    gate.countDown();
                    disk.holdForces(null);
                }
                pending.get(10, TimeUnit.SECONDS);
                assertThat(pollFor(c, 1, 10_000)).as("shown once acknowledged").isEqualTo(1);
            }
        }
    }

    /** Polls until {@code want} records came or {@code ms} passed; returns how many came. */
    private static int pollFor(Consumer<String, String> c, int want, long ms) {
        long deadline = System.nanoTime() + ms * 1_000_000;
        int n = 0;
        while (n < want && System.nanoTime() < deadline) {
            n += c.poll(Duration.ofMillis(5)).count();
        }
        return n;
    }

    @Test
    void shouldTellWhetherTheDirectoryIsOwned() throws Exception {
        assertThat(Log.isOwned(dir)).as("not a log yet").isFalse();
        try (Log owner = Log.open(dir)) {
            assertThat(owner.isReadOnly()).isFalse();
            assertThat(Log.isOwned(dir)).isTrue();
            try (Log reader = Log.openReadOnly(dir)) {
                assertThat(reader.isReadOnly()).isTrue();
                assertThat(Log.isOwned(dir)).isTrue();
            }
            // Testing does not take the lock away from the owner, nor keep it from a later writer.
            assertThatThrownBy(() -> Log.open(dir)).isInstanceOf(LogLockedException.class);
        }
        assertThat(Log.isOwned(dir)).isFalse();
        try (Log again = Log.open(dir)) {
            assertThat(again.isReadOnly()).isFalse();
        }
        // (CrashIT checks the same across processes: owned while its child runs, free once it is killed.)
    }

    @Test
    void shouldAcknowledgeDuplicatesWithoutAppendingTwice() throws Exception {
        TopicPartition tp = new TopicPartition("t", 0);
        try (Log log = Log.open(dir)) {
            log.createTopic("t", TopicConfig.partitions(1));
            Producer<String, String> p = log.producer(Serdes.string(), Serdes.string(),
                    ProducerConfig.idempotent("sink-1"));
            for (long s = 0; s < 10; s++) {
                RecordMetadata m = p.send(ProducerRecord.<String, String>of("t", "k", "v" + s).withPartition(0)
                        .withSequence(s)).get();
                assertThat(m.duplicate()).isFalse();
            }
            RecordMetadata dup = p.send(ProducerRecord.<String, String>of("t", "k", "v9").withPartition(0)
                    .withSequence(9)).get();
            assertThat(dup.duplicate()).isTrue();
            assertThat(dup.offset()).isEqualTo(9);
            assertThat(p.send(ProducerRecord.<String, String>of("t", "k", "v3").withPartition(0).withSequence(3))
                    .get().duplicate()).isTrue();
            assertThat(log.endOffset(tp)).isEqualTo(10);
            // Automatic numbering continues after the last sequence.
            assertThat(p.send("t", "k", "auto").get().duplicate()).isFalse();
            assertThat(log.endOffset(tp)).isEqualTo(11);
        }
        try (Log log = Log.open(dir)) { // rebuilt at recovery (snapshot at close plus replay)
            Producer<String, String> p = log.producer(Serdes.string(), Serdes.string(),
                    ProducerConfig.idempotent("sink-1"));
            assertThat(p.send(ProducerRecord.<String, String>of("t", "k", "v5").withPartition(0).withSequence(5))
                    .get().duplicate()).isTrue();
            assertThat(p.send(ProducerRecord.<String, String>of("t", "k", "v11").withPartition(0).withSequence(11))
                    .get().duplicate()).isFalse();
            Producer<String, String> other = log.producer(Serdes.string(), Serdes.string(),
                    ProducerConfig.idempotent("sink-2"));
            assertThat(other.send(ProducerRecord.<String, String>of("t", "k", "o0").withPartition(0).withSequence(0))
                    .get().duplicate()).isFalse();
            assertThat(PartitionContents.readAll(log, tp)).hasSize(13);
        }
    }
}
