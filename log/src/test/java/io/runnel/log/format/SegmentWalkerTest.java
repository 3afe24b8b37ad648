package io.runnel.log.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.log.Compression;
import io.runnel.log.LogConfig;
import io.runnel.log.format.SegmentWalker.DamageKind;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The public segment walk: sound batches, and each kind of damage at the right place. */
class SegmentWalkerTest {
    static final int MAX = LogConfig.defaults().maxBatchLength();

    @TempDir
    Path dir;

    /** Batches of 1-5 records from offset {@code base}, LZ4 every other one. */
    static List<byte[]> batches(long base, int count) {
        BatchBuilder b = new BatchBuilder();
        List<byte[]> out = new ArrayList<>();
        long next = base;
        for (int i = 0; i < count; i++) {
            b.reset(next, -1, -1);
            for (int j = 0; j <= i % 5; j++) {
                b.append(1_700_000_000_000L + i, ("k" + i).getBytes(StandardCharsets.UTF_8),
                        ("value " + i + "-" + j).getBytes(StandardCharsets.UTF_8), null);
            }
            next = b.nextOffset();
            ByteBuffer bb = b.build(1_700_000_000_000L, i % 2 == 0 ? Compression.NONE : Compression.LZ4);
            byte[] a = new byte[bb.remaining()];
            bb.get(a);
            out.add(a);
        }
        return out;
    }

    Path write(String name, List<byte[]> batches) throws Exception {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] b : batches) {
            o.write(b);
        }
        return Files.write(dir.resolve(name), o.toByteArray());
    }

    record Step(long position, int length, boolean readable, long base, DamageKind damage) {
    }

    static List<Step> walk(Path file) throws Exception {
        List<Step> steps = new ArrayList<>();
        try (SegmentWalker w = SegmentWalker.open(file, MAX)) {
            while (w.next()) {
                steps.add(new Step(w.position(), w.length(), w.isReadable(), w.isReadable() ? w.batch().baseOffset() : -1,
                        w.damage() == null ? null : w.damage().kind()));
            }
        }
        return steps;
    }

    @Test
    void shouldWalkSoundBatchesWithContinuousOffsets() throws Exception {
        List<byte[]> batches = batches(100, 12);
        Path f = write(LogFiles.baseName(100) + LogFiles.LOG_SUFFIX, batches);
        List<Step> steps = walk(f);
        assertThat(steps).hasSize(12).allMatch(s -> s.readable() && s.damage() == null);
        long pos = 0;
        for (int i = 0; i < steps.size(); i++) {
            assertThat(steps.get(i).position()).isEqualTo(pos);
            assertThat(steps.get(i).length()).isEqualTo(batches.get(i).length);
            pos += batches.get(i).length;
        }
        assertThat(steps.get(0).base()).isEqualTo(100);
        try (SegmentWalker w = SegmentWalker.open(f, MAX)) {
            while (w.next()) {
                assertThat(w.batch().recordCount()).isBetween(1, 5);
            }
            assertThat(w.firstDamage()).isNull();
            assertThat(w.expectedOffset()).isEqualTo(100 + 33); // 12 batches of 1,2,3,4,5,1,2,... records
        }
    }

    @Test
    void shouldReportAFlippedByteAsOneCorruptBatchAndGoOn() throws Exception {
        List<byte[]> batches = batches(0, 6);
        batches.get(2)[batches.get(2).length - 3] ^= 0x40;
        List<Step> steps = walk(write(LogFiles.baseName(0) + LogFiles.LOG_SUFFIX, batches));
        assertThat(steps).hasSize(6);
        assertThat(steps.get(2).damage()).isEqualTo(DamageKind.CORRUPT_BATCH);
        assertThat(steps.get(2).readable()).isFalse();
        assertThat(steps).filteredOn(s -> s.damage() == null).hasSize(5);
        try (SegmentWalker w = SegmentWalker.open(dir.resolve(LogFiles.baseName(0) + LogFiles.LOG_SUFFIX), MAX)) {
            while (w.next()) {
                // walk to the end
            }
            assertThat(w.firstDamage().what()).contains("CRC32C mismatch");
            assertThat(w.firstDamage().position()).isEqualTo(steps.get(2).position());
            assertThat(w.firstDamage().expectedOffset()).isEqualTo(1 + 2); // after batches of 1 and 2 records
            assertThatThrownBy(w::batch).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void shouldEndTheWalkAtBytesThatCannotBeFramed() throws Exception {
        List<byte[]> batches = batches(0, 4);
        byte[] torn = java.util.Arrays.copyOf(batches.get(3), batches.get(3).length - 7);
        List<Step> steps = walk(write("torn.log", List.of(batches.get(0), batches.get(1), batches.get(2), torn)));
        assertThat(steps).hasSize(4);
        assertThat(steps.get(3).damage()).isEqualTo(DamageKind.UNFRAMED);
        assertThat(steps.get(3).length()).isEqualTo(torn.length);

        batches.get(1)[BatchDescriptor.LENGTH_OFFSET] = 0x7F; // an absurd length
        steps = walk(write("badlength.log", batches));
        assertThat(steps).hasSize(2);
        assertThat(steps.get(1).damage()).isEqualTo(DamageKind.UNFRAMED);

        steps = walk(write("short.log", List.of(batches.get(0), new byte[10])));
        assertThat(steps.get(1).damage()).isEqualTo(DamageKind.UNFRAMED);
    }

    @Test
    void shouldReportAStaleBatchAsAnOffsetGapAndMalformedRecordsBehindAValidCrc() throws Exception {
        List<byte[]> batches = batches(0, 5);
        List<byte[]> withStale = new ArrayList<>(batches);
        withStale.add(3, batches.get(0)); // a valid batch from elsewhere: right CRC, wrong base offset
        List<Step> steps = walk(write(LogFiles.baseName(0) + LogFiles.LOG_SUFFIX, withStale));
        assertThat(steps.get(3).damage()).isEqualTo(DamageKind.OFFSET_GAP);
        assertThat(steps.get(3).readable()).isTrue();

        byte[] bad = batches.get(0).clone(); // an uncompressed batch: damage its record, then fix the CRC
        bad[BatchDescriptor.HEADER_LENGTH] = 0x7F;
        CRC32C crc = new CRC32C();
        crc.update(bad, BatchDescriptor.CRC_START, bad.length - BatchDescriptor.CRC_START);
        ByteBuffer.wrap(bad).putInt(BatchDescriptor.CRC_OFFSET, (int) crc.getValue());
        steps = walk(write("malformed.log", List.of(bad, batches.get(1))));
        assertThat(steps.get(0).damage()).isEqualTo(DamageKind.MALFORMED_RECORDS);
        assertThat(steps.get(1).damage()).isNull();
    }
}
