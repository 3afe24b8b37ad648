package io.runnel.log.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.log.Compression;
import io.runnel.log.CorruptRecordException;
import io.runnel.log.Header;
import io.runnel.log.Headers;
import io.runnel.log.testing.TestSettings;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Encoding round trips and the fuzzed decoder (RELIABILITY.md "Decoders"). */
class BatchCodecTest {
    private static final int MAX_BATCH = (1 << 20) + 4096;

    record Rec(long ts, byte[] key, byte[] value, Headers headers) {
    }

    private static byte[] randomBytes(Random r, int max) {
        int kind = r.nextInt(10);
        if (kind == 0) {
            return null;
        }
        if (kind == 1) {
            return new byte[0];
        }
        if (kind == 2) {
            String s = "ключ-🔑-" + r.nextInt(1000) + "-日本語";
            return s.getBytes(StandardCharsets.UTF_8);
        }
        byte[] b = new byte[r.nextInt(max)];
        r.nextBytes(b);
        return b;
    }

    /**
     * Half of the records have the common shape the cursor parses from one 8-byte load (timestamps
     * close together, no key or a short one, a value under 8 KiB, no headers); the rest anything.
     */
    private static Rec randomRecord(Random r) {
        if (r.nextBoolean()) {
            byte[] key = r.nextInt(3) == 0 ? null : new byte[r.nextInt(70)];
            byte[] value = r.nextInt(20) == 0 ? null : new byte[r.nextInt(r.nextInt(10) == 0 ? 9000 : 200)];
            if (key != null) {
                r.nextBytes(key);
            }
            if (value != null) {
                r.nextBytes(value);
            }
            return new Rec(1_700_000_000_000L + r.nextInt(10_000), key, value, Headers.empty());
        }
        Headers h = Headers.empty();
        int hn = r.nextInt(4) == 0 ? r.nextInt(4) : 0;
        for (int i = 0; i < hn; i++) {
            h = h.with(r.nextBoolean() ? "h" + i : "ü-" + i, randomBytes(r, 20));
        }
        long ts = r.nextInt(10) == 0 ? r.nextLong() >>> 2 : 1_700_000_000_000L + r.nextInt(1_000_000) - 500_000;
        return new Rec(ts, randomBytes(r, 200), randomBytes(r, 300), h);
    }

    /** Reads the record under a cursor: the decoder under test. */
    interface RecordDecoder {
        Rec decode(RecordCursor cursor);
    }

    static final RecordDecoder DECODER = c -> new Rec(c.timestamp(), c.keyCopy(), c.valueCopy(), c.headers());

    /**
     * The round-trip oracle: encodes {@code total} random records in random batches (random
     * compression), validates and decodes each batch with {@code decoder}, and counts the records
     * that do not come back byte for byte (offset, timestamp, key, value, headers).
     */
    static int roundTripMismatches(Random r, int total, RecordDecoder decoder) {
        BatchBuilder builder = new BatchBuilder();
        RecordBatch batch = new RecordBatch();
        RecordCursor cursor = new RecordCursor();
        long offset = 0;
        int done = 0;
        int mismatches = 0;
        while (done < total) {
            int n = Math.min(total - done, 1 + r.nextInt(200));
            Compression c = Compression.values()[r.nextInt(3)];
            List<Rec> recs = new ArrayList<>();
            builder.reset(offset, -1, -1);
            for (int i = 0; i < n; i++) {
                Rec rec = randomRecord(r);
                recs.add(rec);
                builder.append(rec.ts, rec.key, rec.value, HeadersCodec.encode(rec.headers));
            }
            ByteBuffer bb = builder.build(12345L, c);
            // Consumers read from direct buffers, tools from heap buffers: both.
            ByteBuffer copy = r.nextBoolean() ? ByteBuffer.allocate(bb.remaining()) : ByteBuffer.allocateDirect(bb.remaining());
            copy.put(bb).flip();
            batch.wrap(copy, 0).validate(MAX_BATCH);
            assertThat(batch.baseOffset()).isEqualTo(offset);
            assertThat(batch.recordCount()).isEqualTo(n);
            assertThat(batch.appendTime()).isEqualTo(12345L);
            batch.records(cursor, MAX_BATCH);
            for (int i = 0; i < n; i++) {
                assertThat(cursor.next()).isTrue();
                Rec rec = recs.get(i);
                Rec got = decoder.decode(cursor);
                if (cursor.offset() != offset + i || got.ts != rec.ts || !Arrays.equals(got.key, rec.key)
                        || !Arrays.equals(got.value, rec.value) || !got.headers.equals(rec.headers)) {
                    if (mismatches++ == 0) {
                        System.out.println("round trip: first mismatch at offset " + cursor.offset() + ": wrote " + rec
                                + ", read " + got);
                    }
                }
            }
            assertThat(cursor.next()).isFalse();
            offset += n;
            done += n;
        }
        return mismatches;
    }

    @Test
    void shouldRoundTripRandomRecordsByteForByte() {
        long seed = TestSettings.seed("round trip");
        int total = TestSettings.count("runnel.test.roundtrip.records", 100_000);
        assertThat(roundTripMismatches(new Random(seed), total, DECODER)).isZero();
    }

    /** The oracle can fail: a decoder that drops a record's first header does not round-trip. */
    @Test
    void oracleCatchesADecoderThatDropsAHeader() {
        RecordDecoder dropsAHeader = c -> {
            Rec d = DECODER.decode(c);
            List<Header> kept = d.headers.asList();
            return new Rec(d.ts, d.key, d.value, Headers.of(kept.isEmpty() ? kept : kept.subList(1, kept.size())));
        };
        int mismatches = roundTripMismatches(new Random(TestSettings.seed("round trip, header-dropping variant")), 2_000,
                dropsAHeader);
        System.out.println("header-dropping decoder: " + mismatches + " of 2000 records differ");
        assertThat(mismatches).isPositive();
    }

    @Test
    void shouldRejectEveryDamagedOrMalformedBatchWithCorruptRecordOnly() {
        long seed = TestSettings.seed("decoder fuzz");
        Random r = new Random(seed);
        int total = TestSettings.count("runnel.test.fuzz.batches", 100_000);
        List<byte[]> valid = new ArrayList<>();
        BatchBuilder builder = new BatchBuilder();
        for (int i = 0; i < 50; i++) {
            builder.reset(r.nextInt(1000), -1, -1);
            int n = 1 + r.nextInt(20);
            for (int j = 0; j < n; j++) {
                Rec rec = randomRecord(r);
                builder.append(rec.ts, rec.key, rec.value, HeadersCodec.encode(rec.headers));
            }
            ByteBuffer bb = builder.build(1, Compression.values()[i % 3]);
            byte[] b = new byte[bb.remaining()];
            bb.get(b);
            valid.add(b);
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        RecordBatch batch = new RecordBatch();
        RecordCursor cursor = new RecordCursor();
        int rejected = 0;
        long maxAllocated = 0;
        for (int i = 0; i < total; i++) {
            byte[] input = mutate(r, valid.get(r.nextInt(valid.size())));
            long before = mx.getThreadAllocatedBytes(tid);
            try {
                decodeAll(batch, cursor, input);
            } catch (CorruptRecordException e) {
                rejected++;
            }
            maxAllocated = Math.max(maxAllocated, mx.getThreadAllocatedBytes(tid) - before);
        }
        System.out.println("fuzz: " + total + " inputs, " + rejected + " rejected, max allocation per decode "
                + maxAllocated + " bytes");
        assertThat(rejected).isGreaterThan(total / 2);
        // Scratch buffers grow to the largest legal batch at most; nothing scales with a bogus length.
        assertThat(maxAllocated).isLessThan(3L * MAX_BATCH);
    }

    /**
     * The fast path of {@link RecordCursor#next()} parses records of the common shape from one
     * 8-byte load and leaves everything else to {@link RecordCursor#nextInFull()}: on valid and on
     * damaged batches (valid CRCs recomputed, so the records region is what is damaged), both
     * must read the same records and fail at the same record with the same message.
     */
    @Test
    void shouldParseLikeTheFullPathOnValidAndDamagedRecords() {
        long seed = TestSettings.seed("cursor paths");
        Random r = new Random(seed);
        int total = TestSettings.count("runnel.test.fuzz.batches", 100_000) / 4;
        BatchBuilder builder = new BatchBuilder();
        List<byte[]> valid = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            builder.reset(r.nextInt(1000), -1, -1);
            int n = 1 + r.nextInt(20);
            for (int j = 0; j < n; j++) {
                // Mostly small records, so that damage lands in the framing as often as in the bytes.
                Rec rec = r.nextInt(4) == 0 ? randomRecord(r)
                        : new Rec(1_700_000_000_000L + r.nextInt(100), r.nextBoolean() ? null : new byte[r.nextInt(4)],
                                new byte[r.nextInt(8)], Headers.empty());
                builder.append(rec.ts, rec.key, rec.value, HeadersCodec.encode(rec.headers));
            }
            ByteBuffer bb = builder.build(1, Compression.NONE);
            byte[] b = new byte[bb.remaining()];
            bb.get(b);
            valid.add(b);
        }
        RecordBatch batch = new RecordBatch();
        RecordCursor fast = new RecordCursor();
        RecordCursor full = new RecordCursor();
        int fastRecords = 0;
        int failed = 0;
        RecordBatch.skipCrcForTesting(true); // damage in the records region reaches the cursor
        try {
            for (int i = 0; i < total; i++) {
                byte[] input = valid.get(r.nextInt(valid.size())).clone();
                if (i % 5 != 0) { // a fifth stays valid
                    int at = BatchDescriptor.HEADER_LENGTH + r.nextInt(input.length - BatchDescriptor.HEADER_LENGTH);
                    for (int k = at; k < Math.min(input.length, at + 1 + r.nextInt(3)); k++) {
                        input[k] = r.nextInt(3) == 0 ? (byte) (input[k] ^ (1 << r.nextInt(8))) : (byte) r.nextInt(256);
                    }
                }
                ByteBuffer bb = r.nextBoolean() ? ByteBuffer.wrap(input)
                        : ByteBuffer.allocateDirect(input.length).put(input).flip();
                batch.wrap(bb, 0).validate(MAX_BATCH);
                batch.records(fast, MAX_BATCH);
                batch.records(full, MAX_BATCH);
                List<String> viaFast = new ArrayList<>();
                List<String> viaFull = new ArrayList<>();
                fastRecords += readAll(fast, false, viaFast);
                readAll(full, true, viaFull);
                assertThat(viaFast).as("seed %d, input %d", seed, i).isEqualTo(viaFull);
                if (viaFull.get(viaFull.size() - 1).startsWith("failed")) {
                    failed++;
                }
            }
        } finally {
            RecordBatch.skipCrcForTesting(false);
        }
        System.out.println("cursor paths: " + total + " batches, " + failed + " failed, " + fastRecords
                + " records read through next()");
        assertThat(failed).isGreaterThan(total / 10).isLessThan(total);
        assertThat(fastRecords).isGreaterThan(total);
    }

    /** Reads every record of the cursor's batch into {@code out} (one line each, then the outcome). */
    private static int readAll(RecordCursor c, boolean full, List<String> out) {
        int n = 0;
        try {
            while (full ? c.nextInFull() : c.next()) {
                out.add(c.offset() + " " + c.timestamp() + " " + Arrays.toString(c.keyCopy()) + " "
                        + Arrays.toString(c.valueCopy()) + " " + c.headers() + " " + c.keyPosition() + " "
                        + c.valuePosition());
                n++;
            }
            out.add("end");
        } catch (CorruptRecordException e) {
            out.add("failed: " + e.getMessage());
        }
        return n;
    }

    /** Random bytes, flipped bits, bogus lengths, truncations; half with a recomputed (valid) CRC. */
    static byte[] mutate(Random r, byte[] valid) {
        byte[] b;
        switch (r.nextInt(7)) {
            case 0 -> {
                b = new byte[r.nextInt(300)];
                r.nextBytes(b);
            }
            case 1 -> {
                b = valid.clone();
                int flips = 1 + r.nextInt(4);
                for (int i = 0; i < flips; i++) {
                    int bit = r.nextInt(b.length * 8);
                    b[bit / 8] ^= (byte) (1 << (bit % 8));
                }
            }
            case 2 -> {
                b = valid.clone();
                int[] lengths = {0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 65, 66, b.length - 1, b.length + 1};
                ByteBuffer.wrap(b).putInt(BatchDescriptor.LENGTH_OFFSET, lengths[r.nextInt(lengths.length)]);
            }
            case 3 -> b = Arrays.copyOf(valid, r.nextInt(valid.length));
            case 4 -> {
                b = valid.clone();
                int at = BatchDescriptor.HEADER_LENGTH + r.nextInt(Math.max(1, b.length - BatchDescriptor.HEADER_LENGTH));
                for (int i = at; i < Math.min(b.length, at + 1 + r.nextInt(8)); i++) {
                    b[i] = (byte) r.nextInt(256);
                }
            }
            case 5 -> {
                b = valid.clone();
                int[] fields = {BatchDescriptor.RECORD_COUNT_OFFSET, BatchDescriptor.LAST_OFFSET_DELTA_OFFSET};
                int[] values = {-1, 0, Integer.MAX_VALUE, 1 << 20, r.nextInt()};
                ByteBuffer.wrap(b).putInt(fields[r.nextInt(2)], values[r.nextInt(values.length)]);
                b[BatchDescriptor.ATTRIBUTES_OFFSET] = r.nextInt(4) == 0 ? (byte) r.nextInt(256) : b[BatchDescriptor.ATTRIBUTES_OFFSET];
            }
            default -> {
                b = valid.clone();
                int at = r.nextInt(b.length);
                b[at] = (byte) (r.nextBoolean() ? 0xFF : 0x80); // long varints
            }
        }
        if (r.nextBoolean() && b.length >= BatchDescriptor.HEADER_LENGTH) {
            int len = ByteBuffer.wrap(b).getInt(BatchDescriptor.LENGTH_OFFSET);
            if (len >= BatchDescriptor.CRC_START && len <= b.length) {
                java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
                crc.update(b, BatchDescriptor.CRC_START, len - BatchDescriptor.CRC_START);
                ByteBuffer.wrap(b).putInt(BatchDescriptor.CRC_OFFSET, (int) crc.getValue());
            }
        }
        return b;
    }

    static void decodeAll(RecordBatch batch, RecordCursor cursor, byte[] input) {
        ByteBuffer bb = ByteBuffer.wrap(input);
        batch.wrap(bb, 0).validate(MAX_BATCH);
        batch.records(cursor, MAX_BATCH);
        while (cursor.next()) {
            cursor.keyCopy();
            cursor.valueCopy();
            cursor.headers();
        }
    }

    /** The oracle can fail: a decoder without its CRC check accepts damaged batches. */
    @Test
    void oracleCatchesADecoderWithoutCrcCheck() {
        BatchBuilder builder = new BatchBuilder();
        builder.reset(7, -1, -1);
        builder.append(1, "key".getBytes(), "value-value".getBytes(), null);
        ByteBuffer bb = builder.build(1, Compression.NONE);
        byte[] valid = new byte[bb.remaining()];
        bb.get(valid);
        int accepted = 0;
        RecordBatch.skipCrcForTesting(true);
        try {
            for (int i = valid.length - 11; i < valid.length; i++) { // flips inside the value bytes
                byte[] b = valid.clone();
                b[i] ^= 1;
                try {
                    decodeAll(new RecordBatch(), new RecordCursor(), b);
                    accepted++;
                } catch (CorruptRecordException e) {
                    // detected anyway
                }
            }
        } finally {
            RecordBatch.skipCrcForTesting(false);
        }
        assertThat(accepted).isPositive();
    }

    @Test
    void shouldSkipToTheFirstRecordAtOrAfterAnOffset() {
        BatchBuilder builder = new BatchBuilder();
        for (Compression c : Compression.values()) {
            builder.reset(100, -1, -1);
            for (int delta : new int[] {0, 2, 5, 9}) { // gaps, as compaction leaves them
                builder.appendAt(delta, 1L, ("k" + delta).getBytes(), ("v" + delta).getBytes(), 0, 2,
                        HeadersCodec.encode(Headers.of(new Header("h", new byte[] {1}))));
            }
            ByteBuffer bb = builder.build(1, c);
            ByteBuffer copy = ByteBuffer.allocate(bb.remaining()).put(bb).flip();
            RecordBatch batch = new RecordBatch().wrap(copy, 0);
            batch.validate(MAX_BATCH);
            RecordCursor cursor = new RecordCursor();
            long[][] cases = {{100, 100}, {101, 102}, {103, 105}, {105, 105}, {109, 109}};
            for (long[] k : cases) {
                batch.records(cursor, MAX_BATCH);
                cursor.skipBefore(k[0]);
                assertThat(cursor.next()).isTrue();
                assertThat(cursor.offset()).as("%s: first at or after %d", c, k[0]).isEqualTo(k[1]);
                assertThat(cursor.headers().size()).isEqualTo(1);
            }
            batch.records(cursor, MAX_BATCH);
            cursor.skipBefore(110);
            assertThat(cursor.next()).isFalse();
        }
    }

    @Test
    void shouldDetectEverySingleBitFlip() {
        BatchBuilder builder = new BatchBuilder();
        builder.reset(7, -1, -1);
        builder.append(1, "k".getBytes(), "value".getBytes(), HeadersCodec.encode(Headers.of(new Header("h", null))));
        ByteBuffer bb = builder.build(1, Compression.NONE);
        byte[] valid = new byte[bb.remaining()];
        bb.get(valid);
        for (int bit = 0; bit < valid.length * 8; bit++) {
            byte[] b = valid.clone();
            b[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThatThrownBy(() -> decodeAll(new RecordBatch(), new RecordCursor(), b))
                    .isInstanceOf(CorruptRecordException.class);
        }
    }
}
