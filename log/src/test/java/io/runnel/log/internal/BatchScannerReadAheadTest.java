package io.runnel.log.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.log.Log;
import io.runnel.log.LogConfig;
import io.runnel.log.Producer;
import io.runnel.log.ProducerRecord;
import io.runnel.log.Serdes;
import io.runnel.log.TopicConfig;
import io.runnel.log.format.RecordBatch;
import io.runnel.log.storage.FileStorage;
import io.runnel.log.storage.StorageFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read-ahead scan returns exactly the batches an in-place scan returns, over batches of every
 * size class: small ones, ones whose straddling tail exceeds the read-ahead reserve, and ones
 * larger than the whole buffer.
 */
class BatchScannerReadAheadTest {
    private static final long SEED = Long.getLong("seed", System.nanoTime());

    @TempDir
    Path dir;
    private ExecutorService executor;
    private Path segment;
    private int maxBatchLength;

    @BeforeEach
    void writeSegment() throws Exception {
        System.out.println("BatchScannerReadAheadTest seed=" + SEED + " (rerun with -Dseed=" + SEED + ")");
        executor = Executors.newSingleThreadExecutor();
        Random rnd = new Random(SEED);
        LogConfig config = LogConfig.defaults();
        maxBatchLength = config.maxBatchLength();
        try (Log log = Log.open(dir, config)) {
            log.createTopic("t", TopicConfig.partitions(1));
            try (Producer<byte[], byte[]> p = log.producer(Serdes.bytes(), Serdes.bytes())) {
                long bytes = 0;
                while (bytes < 6 << 20) {
                    int kind = rnd.nextInt(10);
                    int count = kind == 0 ? 1 : 1 + rnd.nextInt(300);
                    int size = kind == 0 ? 70_000 + rnd.nextInt(400_000) : 1 + rnd.nextInt(kind == 1 ? 2_000 : 200);
                    List<ProducerRecord<byte[], byte[]>> batch = new ArrayList<>();
                    for (int i = 0; i < count; i++) {
                        byte[] v = new byte[size];
                        rnd.nextBytes(v);
                        batch.add(ProducerRecord.of("t", null, v));
                        bytes += size;
                    }
                    p.sendAll(batch);
                    p.flush();
                }
            }
        }
        segment = dir.resolve("t").resolve("0").resolve("00000000000000000000.log");
    }

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void shouldReturnTheSameBatchesWithAndWithoutReadAhead() throws Exception {
        List<String> inPlace = scan(new BatchScanner(maxBatchLength), 0);
        BatchScanner ahead = new BatchScanner(maxBatchLength, executor);
        List<String> withReadAhead = scan(ahead, 0);
        assertThat(withReadAhead).isEqualTo(inPlace);
        assertThat(inPlace.size()).isGreaterThan(30);
        assertThat(ahead.readAheadsUsed()).as("refills served by a read-ahead").isGreaterThan(5);
    }

    @Test
    void shouldSeekBackInTheSameFileWhileReadingAhead() throws Exception {
        List<String> all = scan(new BatchScanner(maxBatchLength), 0);
        try (StorageFile f = FileStorage.INSTANCE.openRead(segment)) {
            long size = f.size();
            BatchScanner s = new BatchScanner(maxBatchLength, executor);
            s.reset(f, 0, size);
            List<String> seen = new ArrayList<>();
            List<Long> positions = new ArrayList<>();
            for (int i = 0; i < all.size() / 2; i++) {
                positions.add(s.nextPosition());
                seen.add(describe(s.next(), s.position()));
            }
            int back = seen.size() / 3; // seek to an earlier batch: what follows must match from there
            s.reset(f, positions.get(back), size);
            List<String> rest = new ArrayList<>(seen.subList(0, back));
            RecordBatch b;
            while ((b = s.next()) != null) {
                rest.add(describe(b, s.position()));
            }
            assertThat(rest).isEqualTo(all);
        }
    }

    private List<String> scan(BatchScanner s, long from) throws Exception {
        try (StorageFile f = FileStorage.INSTANCE.openRead(segment)) {
            s.reset(f, from, f.size());
            List<String> out = new ArrayList<>();
            RecordBatch b;
            while ((b = s.next()) != null) {
                out.add(describe(b, s.position()));
            }
            s.dropReadAhead();
            return out;
        }
    }

    private static String describe(RecordBatch b, long position) {
        return position + ":" + b.baseOffset() + ":" + b.batchLength() + ":" + Integer.toHexString(b.storedCrc());
    }
}
