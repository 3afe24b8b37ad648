package io.runnel.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.log.storage.FaultInjectingStorage;
import io.runnel.log.storage.FaultInjectingStorage.Event;
import io.runnel.log.storage.FaultInjectingStorage.Kind;
import io.runnel.log.testing.PartitionContents;
import io.runnel.log.testing.TestSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Failed fsync (RELIABILITY.md, PostgreSQL's fsyncgate): a force fails at 200+ random points.
 * Pass: no acknowledgement after the failed force; every waiting producer gets
 * {@link DurabilityFailureException} promptly, later sends too; after a power cut and restart 0
 * acknowledged records are lost.
 */
class FailedFsyncTest {
    static final Path DIR = FaultInjectingStorage.path("/fsync/log");

    @Test
    void shouldStopAcknowledgingAfterAFailedForce() throws Exception {
        long base = TestSettings.seed("failed fsync");
        int points = TestSettings.count("runnel.test.fsync.points", 200);
        assertThat(run(base, points, 1)).as("acknowledgements after a failed force").isZero();
    }

    /** Several partitions, forced concurrently: one failing fails the whole group, whose other forces succeed. */
    @Test
    void shouldStopAcknowledgingAfterAFailedForceOfOnePartitionOfSeveral() throws Exception {
        long base = TestSettings.seed("failed fsync, 3 partitions");
        int points = TestSettings.count("runnel.test.fsync.points", 200) / 2;
        assertThat(run(base, points, 3)).as("acknowledgements after a failed force").isZero();
    }

    /** The oracle can fail: a journal that acks before forcing acknowledges records whose force then fails. */
    @Test
    void oracleCatchesAckBeforeForce() throws Exception {
        long base = TestSettings.seed("failed fsync, broken ack-before-force variant");
        io.runnel.log.internal.TestHooks.ackBeforeForce(true);
        try {
            int bad = 0;
            for (int i = 0; i < 50 && bad == 0; i++) {
                bad += run(base + i * 1000L, 1, 1);
            }
            assertThat(bad).isPositive();
        } finally {
            io.runnel.log.internal.TestHooks.ackBeforeForce(false);
        }
    }

    /** Runs {@code points} injection points; returns the violations: acks after the failed force, acknowledged records lost. */
    static int run(long base, int points, int partitions) throws Exception {
        int afterFailure = 0;
        int totalAcked = 0;
        int totalFailed = 0;
        for (int i = 0; i < points; i++) {
            Random r = new Random(base + i);
            FaultInjectingStorage disk = new FaultInjectingStorage();
            LogConfig config = LogConfig.defaults().withStorage(disk).withSegmentBytes(4096)
                    .withRecoveryPointInterval(Duration.ofMillis(1));
            List<Set<Long>> acked = new ArrayList<>(); // per partition
            for (int part = 0; part < partitions; part++) {
                acked.add(new HashSet<>());
            }
            List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
            Log log = Log.open(DIR, config);
            try {
                log.createTopic("t", TopicConfig.partitions(partitions));
                disk.record(true);
                disk.failNthForce(1 + r.nextInt(40));
                Producer<String, String> p = log.producer(Serdes.string(), Serdes.string());
                for (int s = 0; s < 200; s++) {
                    int n = 1 + r.nextInt(5);
                    List<ProducerRecord<String, String>> recs = new ArrayList<>();
                    for (int j = 0; j < n; j++) {
                        recs.add(ProducerRecord.of("t", null, "v" + s + "-" + j + "x".repeat(r.nextInt(300))));
                    }
                    for (CompletableFuture<RecordMetadata> f : p.sendAll(recs)) {
                        futures.add(f.thenApply(m -> {
                            disk.recordAck(null, m.offset(), Integer.toString(m.partition()));
                            return m;
                        }));
                    }
                    if (r.nextInt(5) == 0) {
                        p.flush();
                    }
                }
                boolean sawFailure = false;
                for (CompletableFuture<RecordMetadata> f : futures) {
                    try {
                        RecordMetadata m = f.get(30, TimeUnit.SECONDS); // generous bound: prompt, not a timing test
                        acked.get(m.partition()).add(m.offset());
                    } catch (java.util.concurrent.ExecutionException e) {
                        Throwable c = e.getCause() instanceof CompletionException ? e.getCause().getCause() : e.getCause();
                        assertThat(c).isInstanceOf(DurabilityFailureException.class);
                        sawFailure = true;
                    }
                }
                assertThat(sawFailure).as("seed %d: the injected force failure surfaced", base + i).isTrue();
                // Later sends fail with the same documented error.
                CompletableFuture<RecordMetadata> later = p.send("t", null, "later");
                assertThat(later).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(Exception.class)
                        .withCauseInstanceOf(DurabilityFailureException.class);
                boolean failedSeen = false;
                for (Event e : disk.events()) {
                    // The journal's failed force (a failed recovery-point file force only holds that point back).
                    if (e.kind() == Kind.FORCE_FAILED && e.note().contains("-journal")) {
                        failedSeen = true;
                    } else if (e.kind() == Kind.ACK && failedSeen) {
                        System.out.println("seed " + (base + i) + ": offset " + e.a() + " acknowledged after the failed force");
                        afterFailure++;
                    }
                }
            } finally {
                log.close();
            }
            int ackedHere = 0;
            for (Set<Long> a : acked) {
                ackedHere += a.size();
            }
            totalAcked += ackedHere;
            totalFailed += futures.size() - ackedHere;
            if (afterFailure > 0) {
                return afterFailure;
            }
            // Power cut now, restart: every acknowledged record is there.
            FaultInjectingStorage after = disk.crash(r);
            try (Log reopened = Log.open(DIR, LogConfig.defaults().withStorage(after))) {
                for (int part = 0; part < partitions; part++) {
                    var got = PartitionContents.readAll(reopened, new TopicPartition("t", part));
                    for (long off : acked.get(part)) {
                        if (off >= got.size()) {
                            System.out.println("seed " + (base + i) + ": acknowledged offset " + off + " of partition "
                                    + part + " lost");
                            afterFailure++;
                        }
                    }
                }
            }
        }
        System.out.println("failed fsync, " + partitions + " partition(s): " + points + " injection points, " + totalAcked + " acked before the failure, "
                + totalFailed + " failed with DurabilityFailureException, 0 acknowledged lost");
        return afterFailure;
    }
}
