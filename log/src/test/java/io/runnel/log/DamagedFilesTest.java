package io.runnel.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.log.internal.AtomicFile;
import io.runnel.log.internal.TestHooks;
import io.runnel.log.storage.FaultInjectingStorage;
import io.runnel.log.storage.StorageFile;
import io.runnel.log.testing.PartitionContents;
import io.runnel.log.testing.SegmentScan;
import io.runnel.log.testing.TestSettings;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Damaged files (RELIABILITY.md): torn tails, garbage and stale batches after the tail, bit flips
 * in the non-durable tail, damage inside durable data, damaged indexes and offsets files, leftover
 * temp and swap files. Runs on the in-memory disk so the counts stay fast.
 */
class DamagedFilesTest {
    static final Path DIR = FaultInjectingStorage.path("/damaged/log");
    static final Path PART = DIR.resolve("t").resolve("0");
    static final TopicPartition TP = new TopicPartition("t", 0);
    static FaultInjectingStorage base;
    static List<String> values = new ArrayList<>();
    static List<Path> segments;

    static LogConfig config(FaultInjectingStorage disk) {
        return LogConfig.defaults().withStorage(disk).withSegmentBytes(16 * 1024).withIndexIntervalBytes(512)
                .withRecoveryPointInterval(Duration.ofHours(1));
    }

    @BeforeAll
    static void buildLog() throws Exception {
        FaultInjectingStorage disk = new FaultInjectingStorage();
        Random r = new Random(42);
        try (Log log = Log.open(DIR, config(disk))) {
            log.createTopic("t", TopicConfig.partitions(1));
            Producer<String, String> p = log.producer(Serdes.string(), Serdes.string());
            for (int i = 0; i < 120; i++) {
                List<ProducerRecord<String, String>> batch = new ArrayList<>();
                for (int j = 0; j < 1 + r.nextInt(5); j++) {
                    String v = "value-" + values.size() + "-" + "z".repeat(r.nextInt(300));
                    values.add(v);
                    batch.add(ProducerRecord.of("t", "k" + r.nextInt(20), v));
                }
                p.sendAll(batch);
                p.flush();
            }
        }
        base = disk;
        segments = SegmentScan.segments(disk, PART);
        assertThat(segments.size()).isGreaterThan(2);
    }

    /** A copy of the base disk whose recovery point is {@code rp}. */
    static FaultInjectingStorage copy(long rp) throws Exception {
        FaultInjectingStorage d = base.processCrash();
        AtomicFile.write(d, PART.resolve("recovery-point"), Map.of("recoveryPoint", Long.toString(rp)));
        return d;
    }

    static Path active() {
        return segments.get(segments.size() - 1);
    }

    static long activeBase() {
        String n = active().getFileName().toString();
        return Long.parseLong(n.substring(0, 20));
    }

    static void overwrite(FaultInjectingStorage d, Path file, byte[] content) throws Exception {
        try (StorageFile f = d.openWrite(file)) {
            f.truncate(0);
            f.write(ByteBuffer.wrap(content), 0);
            f.force();
        }
    }

    /** Opens, checks contents are the first {@code expected} values, appends one, reopens: nothing changes. */
    static void checkRecovered(FaultInjectingStorage d, long expected, Random r) throws Exception {
        try (Log log = Log.open(DIR, config(d))) {
            assertThat(log.endOffset(TP)).isEqualTo(expected);
            var got = PartitionContents.readAll(log, TP);
            assertThat(got).hasSize((int) expected);
            for (int i = 0; i < got.size(); i++) {
                assertThat(got.get(i).value()).isEqualTo(values.get(i));
            }
            // Random index lookups agree with the full scan.
            try (Consumer<String, String> c = log.consumer(Serdes.string(), Serdes.string(), ConsumerConfig.defaults())) {
                c.assign(List.of(TP));
                for (int k = 0; k < 5 && expected > 0; k++) {
                    long o = r.nextInt((int) expected);
                    c.seek(TP, o);
                    ConsumerRecord<String, String> first = c.poll(Duration.ofSeconds(5)).iterator().next();
                    assertThat(first.offset()).isEqualTo(o);
                    assertThat(first.value()).isEqualTo(values.get((int) o));
                }
            }
        }
        try (Log log = Log.open(DIR, config(d))) { // a second recovery changes nothing
            assertThat(log.endOffset(TP)).isEqualTo(expected);
            try (Producer<String, String> p = log.producer(Serdes.string(), Serdes.string())) {
                assertThat(p.send("t", null, "next").get().offset()).isEqualTo(expected);
            }
        }
    }

    static List<SegmentScan.BatchLocation> activeBatches() throws Exception {
        return SegmentScan.batches(base, active());
    }

    /** The offset after the last batch that ends at or before {@code cut}. */
    static long survivingEnd(List<SegmentScan.BatchLocation> batches, long cut) {
        long end = activeBase();
        for (SegmentScan.BatchLocation b : batches) {
            if (b.position() + b.length() <= cut) {
                end = b.nextOffset();
            }
        }
        return end;
    }

    @Test
    void shouldCutRandomTornTailsAtTheLastCompleteBatch() throws Exception {
        long seed = TestSettings.seed("torn tails");
        Random r = new Random(seed);
        byte[] seg = SegmentScan.read(base, active());
        var batches = activeBatches();
        int n = TestSettings.count("runnel.test.damage.count", 1000);
        for (int i = 0; i < n; i++) {
            FaultInjectingStorage d = copy(activeBase());
            int cut = r.nextInt(seg.length + 1);
            overwrite(d, active(), java.util.Arrays.copyOf(seg, cut));
            checkRecovered(d, survivingEnd(batches, cut), r);
        }
    }

    @Test
    void shouldAcceptNoGarbageZerosOrStaleBatchesAfterTheTail() throws Exception {
        long seed = TestSettings.seed("garbage after tail");
        Random r = new Random(seed);
        byte[] seg = SegmentScan.read(base, active());
        byte[] firstSeg = SegmentScan.read(base, segments.get(0));
        var firstBatches = SegmentScan.batches(base, segments.get(0));
        long end = values.size();
        int n = TestSettings.count("runnel.test.damage.count", 1000);
        for (int kind = 0; kind < 3; kind++) {
            for (int i = 0; i < n; i++) {
                FaultInjectingStorage d = copy(activeBase());
                byte[] junk;
                if (kind == 0) {
                    junk = new byte[1 + r.nextInt(3000)];
                    r.nextBytes(junk);
                } else if (kind == 1) {
                    junk = new byte[1 + r.nextInt(5000)];
                } else { // a valid batch from elsewhere: right CRC, wrong base offset
                    var b = firstBatches.get(r.nextInt(firstBatches.size()));
                    junk = java.util.Arrays.copyOfRange(firstSeg, (int) b.position(), (int) (b.position() + b.length()));
                }
                byte[] content = java.util.Arrays.copyOf(seg, seg.length + junk.length);
                System.arraycopy(junk, 0, content, seg.length, junk.length);
                overwrite(d, active(), content);
                if (i % 50 == 0) {
                    checkRecovered(d, end, r);
                } else {
                    try (Log log = Log.open(DIR, config(d))) {
                        assertThat(log.endOffset(TP)).as("kind %d iteration %d", kind, i).isEqualTo(end);
                    }
                }
            }
        }
    }

    @Test
    void shouldDetectEveryBitFlipInTheNonDurableTail() throws Exception {
        long seed = TestSettings.seed("bit flips");
        Random r = new Random(seed);
        byte[] seg = SegmentScan.read(base, active());
        var batches = activeBatches();
        int n = TestSettings.count("runnel.test.damage.count", 1000);
        for (int i = 0; i < n; i++) {
            FaultInjectingStorage d = copy(activeBase());
            byte[] content = seg.clone();
            int pos = r.nextInt(content.length);
            if (r.nextBoolean()) {
                content[pos] ^= (byte) (1 << r.nextInt(8));
            } else {
                content[pos] = (byte) (content[pos] + 1 + r.nextInt(255));
            }
            overwrite(d, active(), content);
            long expected = survivingEnd(batches, pos); // batches ending before the flipped byte survive
            // checkRecovered reads every record back and compares payloads: 0 corrupt deliveries.
            checkRecovered(d, expected, r);
        }
    }

    @Test
    void shouldStopWithDamagedLogWhenDurableDataIsDamaged() throws Exception {
        FaultInjectingStorage d = copy(values.size());
        byte[] seg = SegmentScan.read(base, segments.get(1));
        seg[seg.length / 2] ^= 4;
        overwrite(d, segments.get(1), seg);
        // Damaged indexes of that segment force a full scan, which finds the damage.
        d.delete(PART.resolve(segments.get(1).getFileName().toString().replace(".log", ".index")));
        assertThatThrownBy(() -> Log.open(DIR, config(d))).isInstanceOf(DamagedLogException.class)
                .hasMessageContaining(segments.get(1).toString()).hasMessageContaining("will not cut it")
                .satisfies(e -> assertThat(((DamagedLogException) e).position()).isLessThanOrEqualTo(seg.length / 2));
        // Active segment damaged inside acknowledged data, too.
        FaultInjectingStorage d2 = copy(values.size());
        byte[] act = SegmentScan.read(base, active());
        act[10] ^= 1;
        overwrite(d2, active(), act);
        assertThatThrownBy(() -> Log.open(DIR, config(d2))).isInstanceOf(DamagedLogException.class)
                .hasMessageContaining(active().toString());
    }

    /** The oracle can fail: a loader that ignores the recovery point silently cuts durable data. */
    @Test
    void oracleCatchesSilentCutOfDurableData() throws Exception {
        FaultInjectingStorage d = copy(values.size());
        byte[] act = SegmentScan.read(base, active());
        act[10] ^= 1;
        overwrite(d, active(), act);
        TestHooks.ignoreRecoveryPoint(true);
        try (Log log = Log.open(DIR, config(d))) {
            assertThat(log.endOffset(TP)).isLessThan(values.size()); // data lost without an error
        } finally {
            TestHooks.ignoreRecoveryPoint(false);
        }
    }

    /** The oracle can fail: with the CRC check off, a flipped payload bit reaches the consumer. */
    @Test
    void oracleCatchesCorruptPayloadWithCrcCheckOff() throws Exception {
        FaultInjectingStorage d = copy(activeBase());
        byte[] act = SegmentScan.read(base, active());
        var b = activeBatches().get(0);
        act[(int) (b.position() + b.length() - 10)] ^= 0x20; // inside the last record's value
        overwrite(d, active(), act);
        TestHooks.skipCrcCheck(true);
        try (Log log = Log.open(DIR, config(d))) {
            var got = PartitionContents.readAll(log, TP);
            long corrupt = 0;
            for (var rec : got) {
                if (!rec.value().equals(values.get((int) rec.offset()))) {
                    corrupt++;
                }
            }
            assertThat(corrupt).isPositive();
        } finally {
            TestHooks.skipCrcCheck(false);
        }
    }

    @Test
    void shouldRebuildMissingOrDamagedIndexes() throws Exception {
        Random r = new Random(TestSettings.seed("damaged indexes"));
        for (int variant = 0; variant < 4; variant++) {
            FaultInjectingStorage d = copy(values.size());
            for (Path seg : segments) {
                Path idx = seg.resolveSibling(seg.getFileName().toString().replace(".log", ".index"));
                Path tidx = seg.resolveSibling(seg.getFileName().toString().replace(".log", ".timeindex"));
                if (!d.exists(idx)) {
                    continue;
                }
                byte[] b = SegmentScan.read(d, idx);
                switch (variant) {
                    case 0 -> d.delete(idx);
                    case 1 -> overwrite(d, idx, java.util.Arrays.copyOf(b, Math.max(0, b.length - 5)));
                    case 2 -> {
                        byte[] g = new byte[b.length];
                        r.nextBytes(g);
                        overwrite(d, idx, g);
                    }
                    default -> overwrite(d, tidx, new byte[7]);
                }
            }
            checkRecovered(d, values.size(), r);
        }
    }

    @Test
    void shouldResolveLeftoverTempAndSwapFiles() throws Exception {
        FaultInjectingStorage d = copy(values.size());
        Path first = segments.get(0);
        overwrite(d, first.resolveSibling(first.getFileName() + ".tmp"), new byte[100]);
        overwrite(d, PART.resolve("recovery-point.tmp"), "garbage".getBytes());
        // A complete swap (here: an identical copy) is finished; an invalid one removed.
        overwrite(d, segments.get(1).resolveSibling(segments.get(1).getFileName() + ".swap"),
                SegmentScan.read(base, segments.get(1)));
        // An incomplete topic creation (no metadata) is removed.
        d.createDirectories(DIR.resolve("half").resolve("0"));
        checkRecovered(d, values.size(), new Random(1));
        for (Path p : d.list(PART)) {
            assertThat(p.getFileName().toString()).doesNotEndWith(".tmp").doesNotEndWith(".swap");
        }
        assertThat(d.exists(DIR.resolve("half"))).isFalse();
    }

    @Test
    void shouldFallBackToThePreviousOffsetsFileWhenTheNewestIsDamaged() throws Exception {
        FaultInjectingStorage d = copy(values.size());
        try (Log log = Log.open(DIR, config(d))) {
            try (Consumer<String, String> c = log.consumer(Serdes.string(), Serdes.string(), ConsumerConfig.group("g"))) {
                c.commit(Map.of(TP, 10L));
                c.commit(Map.of(TP, 20L));
            }
        }
        Path offsets = DIR.resolve(".groups").resolve("g.offsets");
        byte[] b = SegmentScan.read(d, offsets);
        b[3] ^= 1;
        overwrite(d, offsets, b);
        try (Log log = Log.open(DIR, config(d))) {
            try (Consumer<String, String> c = log.consumer(Serdes.string(), Serdes.string(), ConsumerConfig.group("g"))) {
                assertThat(c.committed(TP)).hasValue(10L);
            }
        }
        overwrite(d, offsets, new byte[0]);
        overwrite(d, offsets.resolveSibling("g.offsets.prev"), "junk".getBytes());
        try (Log log = Log.open(DIR, config(d))) {
            try (Consumer<String, String> c = log.consumer(Serdes.string(), Serdes.string(),
                    ConsumerConfig.group("g").withAutoCommit(false))) {
                assertThat(c.committed(TP)).isEmpty();
                c.subscribe(List.of("t"));
                assertThat(c.poll(Duration.ofSeconds(5)).iterator().next().offset()).isZero();
            }
        }
    }
}
