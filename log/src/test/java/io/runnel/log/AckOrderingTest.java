package io.runnel.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.log.internal.TestHooks;
import io.runnel.log.storage.FaultInjectingStorage;
import io.runnel.log.testing.ForceCoverage;
import io.runnel.log.testing.TestSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Ack only after force (RELIABILITY.md): through the fault-injecting disk, the order of writes,
 * forces, directory forces and acknowledgements of 10^5 appends from 8 threads (random batch and
 * record sizes) is recorded. Pass: every acknowledged record's batch was forced before the ack, and
 * its segment file's directory entry too.
 */
class AckOrderingTest {
    static final Path DIR = FaultInjectingStorage.path("/ack/log");

    static int violations(long seed, int appends) throws Exception {
        FaultInjectingStorage disk = new FaultInjectingStorage();
        LogConfig config = LogConfig.defaults().withStorage(disk).withSegmentBytes(256 * 1024)
                .withRecoveryPointInterval(Duration.ofHours(1));
        int partitions = 3;
        try (Log log = Log.open(DIR, config)) {
            log.createTopic("t", TopicConfig.partitions(partitions));
            disk.record(true);
            Producer<String, byte[]> p = log.producer(Serdes.string(), Serdes.bytes());
            int threads = 8;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Random r = new Random(seed + t);
                int share = appends / threads;
                done.add(pool.submit(() -> {
                    int sent = 0;
                    List<CompletableFuture<RecordMetadata>> fs = new ArrayList<>();
                    while (sent < share) {
                        int n = Math.min(share - sent, r.nextInt(4) == 0 ? 1 + r.nextInt(64) : 1);
                        List<ProducerRecord<String, byte[]>> batch = new ArrayList<>();
                        for (int i = 0; i < n; i++) {
                            byte[] v = new byte[r.nextInt(r.nextInt(10) == 0 ? 4000 : 200)];
                            batch.add(ProducerRecord.of("t", "k" + r.nextInt(1000), v));
                        }
                        List<CompletableFuture<RecordMetadata>> got = n == 1 ? List.of(p.send(batch.get(0))) : p.sendAll(batch);
                        for (CompletableFuture<RecordMetadata> f : got) {
                            // Runs on the thread that acknowledges, as it does: the ack's place in the order.
                            fs.add(f.thenApply(m -> {
                                disk.recordAck(null, m.offset(), Integer.toString(m.partition()));
                                return m;
                            }));
                        }
                        sent += n;
                    }
                    for (CompletableFuture<RecordMetadata> f : fs) {
                        f.join();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
        }
        ForceCoverage.Result r = ForceCoverage.check(disk, DIR.resolve("t"), partitions, "");
        System.out.println("ack ordering: " + r.checked() + " acks checked, " + r.uncovered()
                + " not covered by a completed force");
        assertThat(r.checked()).isEqualTo(appends / 8 * 8);
        return r.uncovered();
    }

    @Test
    void shouldAcknowledgeOnlyForcedRecords() throws Exception {
        long seed = TestSettings.seed("ack ordering");
        assertThat(violations(seed, TestSettings.count("runnel.test.ack.appends", 100_000))).isZero();
    }

    @Test
    void oracleCatchesAckBeforeForce() throws Exception {
        long seed = TestSettings.seed("ack ordering, broken ack-before-force variant");
        TestHooks.ackBeforeForce(true);
        try {
            assertThat(violations(seed, 20_000)).isPositive();
        } finally {
            TestHooks.ackBeforeForce(false);
        }
    }
}
