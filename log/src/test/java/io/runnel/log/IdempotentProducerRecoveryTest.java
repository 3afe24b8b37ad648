package io.runnel.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.log.internal.AtomicFile;
import io.runnel.log.internal.TestHooks;
import io.runnel.log.storage.FaultInjectingStorage;
import io.runnel.log.storage.StorageFile;
import io.runnel.log.testing.MutableClock;
import io.runnel.log.testing.PartitionContents;
import io.runnel.log.testing.TestSettings;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Idempotent producers' state survives beyond the active segment: a re-sent (producer id,
 * sequence) whose original sits in a closed segment is recognized after a clean restart, a kill,
 * a power cut, damaged or stale snapshots and compaction; a producer whose last batch retention
 * deleted is forgotten, the same way with or without snapshots. The oracle (every sequence of a
 * producer in the partition exactly once, in order) is shown failing against the old recovery
 * that replayed only the active segment.
 */
class IdempotentProducerRecoveryTest {
    static final Path DIR = FaultInjectingStorage.path("/idem/log");
    static final Path PART = DIR.resolve("t").resolve("0");
    static final TopicPartition TP = new TopicPartition("t", 0);

    static LogConfig config(FaultInjectingStorage disk, Durability durability) {
        return LogConfig.defaults().withStorage(disk).withDurability(durability).withSegmentBytes(2048)
                .withRingBufferSize(256).withRetentionCheckInterval(Duration.ofHours(1));
    }

    static ProducerRecord<String, String> record(String producerId, long seq) {
        return ProducerRecord.<String, String>of("t", producerId, producerId + ":" + seq).withPartition(0)
                .withSequence(seq);
    }

    /** Sends sequences [from, to) of {@code producerId} in runs of 1-7, with plain records between so segments roll. */
    static List<RecordMetadata> send(Log log, String producerId, long from, long to, Random r) {
        List<CompletableFuture<RecordMetadata>> fs = new ArrayList<>();
        try (Producer<String, String> idem = log.producer(Serdes.string(), Serdes.string(),
                ProducerConfig.idempotent(producerId));
                Producer<String, String> plain = log.producer(Serdes.string(), Serdes.string())) {
            long s = from;
            while (s < to) {
                List<ProducerRecord<String, String>> run = new ArrayList<>();
                for (int i = 1 + r.nextInt(7); i > 0 && s < to; i--) {
                    run.add(record(producerId, s++));
                }
                fs.addAll(idem.sendAll(run));
                plain.send(ProducerRecord.<String, String>of("t", null, "plain:" + "x".repeat(r.nextInt(200)))
                        .withPartition(0));
                if (r.nextInt(3) == 0) {
                    idem.flush(); // some runs end up in batches of their own
                }
            }
        }
        return fs.stream().map(CompletableFuture::join).toList();
    }

    /** Appends about {@code bytes} of plain records with keys k0-k2 (enough to roll past what came before). */
    static void fill(Log log, int bytes) {
        try (Producer<String, String> plain = log.producer(Serdes.string(), Serdes.string())) {
            for (int i = 0; i < bytes / 250; i++) { // one at a time: batches, and so segments, stay small
                plain.send(ProducerRecord.<String, String>of("t", "k" + i % 3, "z".repeat(230)).withPartition(0)).join();
            }
        }
    }

    /** How often each sequence of {@code producerId} in [0, sent) is in the partition; checks order too. */
    static Map<String, Integer> problems(Log log, String producerId, long sent) {
        long[] count = new long[(int) sent];
        long previous = -1;
        int reordered = 0;
        for (ConsumerRecord<String, String> rec : PartitionContents.readAll(log, TP)) {
            if (producerId.equals(rec.key())) {
                long seq = Long.parseLong(rec.value().substring(producerId.length() + 1));
                count[(int) seq]++;
                if (seq <= previous) {
                    reordered++;
                }
                previous = seq;
            }
        }
        int missing = 0;
        int duplicated = 0;
        for (long c : count) {
            missing += c == 0 ? 1 : 0;
            duplicated += c > 1 ? (int) (c - 1) : 0;
        }
        Map<String, Integer> out = new HashMap<>();
        if (missing > 0) {
            out.put("missing", missing);
        }
        if (duplicated > 0) {
            out.put("duplicated", duplicated);
        }
        if (reordered > 0) {
            out.put("reordered", reordered);
        }
        return out;
    }

    /** Builds a log where producer "sink" has sequences [0, 60) spread over several closed segments. */
    static FaultInjectingStorage buildLog(Random r) {
        FaultInjectingStorage disk = new FaultInjectingStorage();
        try (Log log = Log.open(DIR, config(disk, Durability.fsync()))) {
            log.createTopic("t", TopicConfig.partitions(1));
            send(log, "sink", 0, 60, r);
            fill(log, 6000); // the producer's last batch ends up in a closed segment too
            assertThat(log.describe("t").partitions().get(0).segmentCount()).isGreaterThan(3);
        }
        return disk;
    }

    /** Re-sends all of [0, 60) and 10 new ones: the 60 are duplicates, the log holds each sequence once. */
    static Map<String, Integer> resendAndCheck(FaultInjectingStorage disk) {
        try (Log log = Log.open(DIR, config(disk, Durability.fsync()))) {
            long end = log.endOffset(TP);
            List<RecordMetadata> again = send(log, "sink", 0, 60, new Random(1));
            long plainAppended = log.endOffset(TP) - end - again.stream().filter(m -> !m.duplicate()).count();
            List<RecordMetadata> fresh = send(log, "sink", 60, 70, new Random(2));
            assertThat(fresh).noneMatch(RecordMetadata::duplicate);
            Map<String, Integer> problems = problems(log, "sink", 70);
            if (problems.isEmpty()) {
                assertThat(again).allMatch(RecordMetadata::duplicate);
                assertThat(plainAppended).isPositive();
                // A duplicate of the producer's last batch names the original's offset; older ones -1.
                RecordMetadata last = again.get(again.size() - 1);
                assertThat(last.offset()).isBetween(0L, end - 1);
                assertThat(PartitionContents.readAll(log, TP).stream().filter(c -> c.offset() == last.offset())
                        .findFirst().orElseThrow().value()).isEqualTo("sink:59");
            }
            return problems;
        }
    }

    @Test
    void shouldRecognizeDuplicatesInClosedSegmentsAfterACleanRestartAKillAndAPowerCut() throws Exception {
        long seed = TestSettings.seed("idempotent restart");
        FaultInjectingStorage clean = buildLog(new Random(seed));
        assertThat(resendAndCheck(clean)).as("clean restart").isEmpty();
        // The same, restarted from what a kill -9 or a power cut leaves (everything was acknowledged under
        // fsync; snapshots are not forced, so the cut may lose or tear them).
        FaultInjectingStorage before = buildLog(new Random(seed));
        assertThat(resendAndCheck(before.processCrash())).as("kill -9").isEmpty();
        for (int i = 0; i < 20; i++) {
            assertThat(resendAndCheck(before.crash(new Random(seed + i)))).as("power cut %d", i).isEmpty();
        }
    }

    @Test
    void shouldKeepEachSequenceOnceAcrossPowerCutsMidAppend() throws Exception {
        long base = TestSettings.seed("idempotent power cuts");
        int seeds = TestSettings.count("runnel.test.idempotence.seeds", 400);
        for (int i = 0; i < seeds; i++) {
            long seed = base + i;
            Random r = new Random(seed);
            Durability durability = r.nextBoolean() ? Durability.fsync() : Durability.os();
            FaultInjectingStorage disk = new FaultInjectingStorage();
            int sent = 10 + r.nextInt(80);
            FaultInjectingStorage cut;
            Log log = Log.open(DIR, config(disk, durability));
            try {
                log.createTopic("t", TopicConfig.partitions(1));
                disk.crashAtOperation(1 + r.nextInt(400), new Random(r.nextLong()), () -> { });
                send(log, "sink", 0, sent, r); // the disk keeps working after the moment of the cut
                cut = disk.crashed() != null ? disk.crashed() : disk.crash(r);
            } finally {
                log.close();
            }
            // Whatever survived, re-sending everything leaves each sequence exactly once, in order.
            try (Log recovered = Log.open(DIR, config(cut, durability))) {
                recovered.createTopicIfAbsent("t", TopicConfig.partitions(1)); // the cut may precede its creation
                send(recovered, "sink", 0, sent, new Random(seed));
                assertThat(problems(recovered, "sink", sent)).as("seed %d (%s)", seed, durability).isEmpty();
            }
        }
    }

    @Test
    void shouldFallBackPastDamagedMissingAndStaleSnapshots() throws Exception {
        long seed = TestSettings.seed("damaged producer snapshots");
        FaultInjectingStorage built = buildLog(new Random(seed));
        List<Path> snapshots = snapshots(built);
        assertThat(snapshots).hasSizeBetween(2, 3);

        FaultInjectingStorage newestDamaged = built.processCrash();
        garble(newestDamaged, snapshots.get(snapshots.size() - 1));
        assertThat(resendAndCheck(newestDamaged)).as("newest snapshot damaged").isEmpty();

        FaultInjectingStorage allDamaged = built.processCrash();
        for (Path s : snapshots) {
            garble(allDamaged, s);
        }
        assertThat(resendAndCheck(allDamaged)).as("every snapshot damaged").isEmpty();

        FaultInjectingStorage none = built.processCrash();
        for (Path s : snapshots) {
            none.delete(s);
        }
        try (Log log = Log.open(DIR, config(none, Durability.fsync()))) {
            // The replay of every segment leaves a snapshot at the active segment's base for the next open.
            assertThat(log.describe("t").partitions().get(0).segmentCount()).isGreaterThan(3);
            assertThat(snapshots(none)).isNotEmpty();
        }
        assertThat(resendAndCheck(none)).as("no snapshot").isEmpty();

        // A valid snapshot beyond the end (a power cut lost the data it describes) must not be believed:
        // it claims sequences up to 1000, which would make the next ones look like duplicates.
        FaultInjectingStorage stale = built.processCrash();
        long end;
        try (Log log = Log.open(DIR, config(stale.processCrash(), Durability.fsync()))) {
            end = log.endOffset(TP);
        }
        long producerId = producerId("sink");
        Path bogus = PART.resolve(String.format("%020d.snapshot", end + 5));
        AtomicFile.write(stale, bogus, Map.of("asOf", Long.toString(end + 5), "p" + producerId, "1000,1000," + end));
        FaultInjectingStorage opened = stale.processCrash();
        try (Log log = Log.open(DIR, config(opened, Durability.fsync()))) {
            assertThat(log.endOffset(TP)).isEqualTo(end);
            assertThat(opened.exists(bogus)).as("a snapshot beyond the end is deleted at open").isFalse();
        }
        assertThat(resendAndCheck(stale)).as("stale snapshot").isEmpty();
    }

    @Test
    void shouldForgetAProducerOnlyWhenRetentionDeletedItsLastBatch() throws Exception {
        MutableClock clock = new MutableClock(1_000_000_000_000L);
        FaultInjectingStorage disk = new FaultInjectingStorage();
        Random r = new Random(7);
        try (Log log = Log.open(DIR, config(disk, Durability.fsync()).withClock(clock))) {
            log.createTopic("t", TopicConfig.partitions(1).withRetention(Duration.ofHours(1)));
            send(log, "old", 0, 5, r);
            send(log, "filler", 0, 40, r);
            clock.advance(Duration.ofHours(2));
            send(log, "recent", 0, 5, r); // rolls: the segments before are now old enough to delete
            cleanNow(log);
            assertThat(log.startOffset(TP)).isPositive();
        }
        // Retention deleted the last (only) batch of "old": it is forgotten, with or without snapshots, and
        // its re-sent sequences are appended again; "recent" is remembered.
        FaultInjectingStorage withoutSnapshots = disk.processCrash();
        for (Path s : snapshots(withoutSnapshots)) {
            withoutSnapshots.delete(s);
        }
        for (FaultInjectingStorage d : List.of(disk.processCrash(), withoutSnapshots)) {
            try (Log log = Log.open(DIR, config(d, Durability.fsync()).withClock(clock))) {
                assertThat(send(log, "old", 0, 5, r)).noneMatch(RecordMetadata::duplicate);
                assertThat(send(log, "recent", 0, 5, r)).allMatch(RecordMetadata::duplicate);
            }
        }
        // Without a restart too: the journal forgets "old" the same way.
        try (Log log = Log.open(DIR, config(disk, Durability.fsync()).withClock(clock))) {
            fill(log, 3000); // closes the segment of "recent"'s batch
            clock.advance(Duration.ofHours(2));
            cleanNow(log);
            assertThat(send(log, "recent", 0, 5, r)).noneMatch(RecordMetadata::duplicate);
        }
    }

    @Test
    void shouldKeepProducerStateThroughCompaction() throws Exception {
        MutableClock clock = new MutableClock(1_000_000_000_000L);
        FaultInjectingStorage disk = new FaultInjectingStorage();
        try (Log log = Log.open(DIR, config(disk, Durability.fsync()).withClock(clock))) {
            log.createTopic("t", TopicConfig.partitions(1).withCleanupPolicy(CleanupPolicy.COMPACT));
            try (Producer<String, String> idem = log.producer(Serdes.string(), Serdes.string(),
                    ProducerConfig.idempotent("sink"))) {
                for (long s = 0; s < 200; s++) { // few keys: later records supersede all of these
                    idem.send(ProducerRecord.<String, String>of("t", "k" + s % 3, "v" + s + "-" + "y".repeat(60))
                            .withPartition(0).withSequence(s));
                }
                idem.flush();
            }
            fill(log, 4000); // the same keys: compaction empties the producer's batches, its last one too
            int before = PartitionContents.readAll(log, TP).size();
            clock.advance(Duration.ofHours(1));
            cleanNow(log);
            assertThat(PartitionContents.readAll(log, TP).size()).isLessThan(before / 2);
        }
        FaultInjectingStorage noSnapshots = disk.processCrash();
        for (Path s : snapshots(noSnapshots)) {
            noSnapshots.delete(s);
        }
        try (Log log = Log.open(DIR, config(noSnapshots, Durability.fsync()).withClock(clock));
                Producer<String, String> idem = log.producer(Serdes.string(), Serdes.string(),
                        ProducerConfig.idempotent("sink"))) {
            long end = log.endOffset(TP);
            for (long s : new long[] {0, 100, 199}) {
                assertThat(idem.send(ProducerRecord.<String, String>of("t", "k", "again").withPartition(0)
                        .withSequence(s)).get().duplicate()).as("sequence %d", s).isTrue();
            }
            assertThat(log.endOffset(TP)).isEqualTo(end);
        }
    }

    /** The oracle can fail: recovery that replays only the active segment appends duplicates again. */
    @Test
    void oracleCatchesProducersForgottenInClosedSegments() throws Exception {
        FaultInjectingStorage built = buildLog(new Random(TestSettings.seed("forgetting variant")));
        TestHooks.ignoreProducerSnapshots(true);
        Map<String, Integer> problems;
        try {
            problems = resendAndCheck(built);
        } finally {
            TestHooks.ignoreProducerSnapshots(false);
        }
        System.out.println("broken variant: " + problems);
        assertThat(problems).containsKey("duplicated");
    }

    static List<Path> snapshots(FaultInjectingStorage disk) throws Exception {
        return disk.list(PART).stream().filter(p -> p.getFileName().toString().endsWith(".snapshot")).sorted().toList();
    }

    static void garble(FaultInjectingStorage disk, Path file) throws Exception {
        try (StorageFile f = disk.openWrite(file)) {
            f.write(ByteBuffer.wrap(new byte[] {'#', '#', '#'}), 0);
        }
    }

    static long producerId(String name) {
        return com.google.common.hash.Hashing.murmur3_128().hashString(name, java.nio.charset.StandardCharsets.UTF_8)
                .asLong() & Long.MAX_VALUE;
    }

    static void cleanNow(Log log) throws Exception {
        var m = log.getClass().getDeclaredMethod("cleanNow");
        m.setAccessible(true);
        m.invoke(log);
    }
}
