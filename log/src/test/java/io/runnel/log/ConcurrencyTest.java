package io.runnel.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.log.testing.TestSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 8 producer threads x 100k records while 4 consumers in 2 groups read (issue 2). Pass: each group
 * reads every record exactly once, in partition order (also across the rebalance when the second
 * member of each group joins), and per producer thread in send order within a partition.
 */
class ConcurrencyTest {
    @TempDir
    Path dir;

    @Test
    void shouldDeliverEveryRecordOncePerGroupInPartitionOrder() throws Exception {
        int threads = 8;
        int perThread = TestSettings.count("runnel.test.concurrency.records", 100_000);
        long total = (long) threads * perThread;
        int partitions = 6;
        try (Log log = Log.open(dir, LogConfig.defaults().withSegmentBytes(8 << 20))) {
            log.createTopic("t", TopicConfig.partitions(partitions));
            ExecutorService pool = Executors.newFixedThreadPool(threads + 4);
            List<Future<?>> futures = new ArrayList<>();
            String[] groups = {"g1", "g2"};
            AtomicLong[] counts = {new AtomicLong(), new AtomicLong()};
            AtomicLongArray[] nextOffset = {new AtomicLongArray(partitions), new AtomicLongArray(partitions)};
            AtomicLong violations = new AtomicLong();
            ConcurrentHashMap<String, Long> lastSeq = new ConcurrentHashMap<>();
            for (int c = 0; c < 4; c++) {
                int g = c % 2;
                futures.add(pool.submit(() -> {
                    try (Consumer<String, String> consumer = log.consumer(Serdes.string(), Serdes.string(),
                            ConsumerConfig.group(groups[g]))) {
                        consumer.subscribe(List.of("t"));
                        while (counts[g].get() < total) {
                            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                                if (!nextOffset[g].compareAndSet(r.partition(), r.offset(), r.offset() + 1)) {
                                    violations.incrementAndGet();
                                }
                                String v = r.value();
                                String producer = groups[g] + "/" + r.partition() + "/" + v.substring(0, v.indexOf('-'));
                                long seq = Long.parseLong(v.substring(v.indexOf('-') + 1));
                                Long prev = lastSeq.put(producer, seq);
                                if (prev != null && prev >= seq) {
                                    violations.incrementAndGet();
                                }
                                counts[g].incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            Producer<String, String> producer = log.producer(Serdes.string(), Serdes.string());
            long start = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    List<CompletableFuture<RecordMetadata>> pending = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        pending.add(producer.send("t", "key-" + (i % 1000), "p" + thread + "-" + i));
                        if (pending.size() >= 1000) {
                            for (CompletableFuture<RecordMetadata> f : pending) {
                                f.join();
                            }
                            pending.clear();
                        }
                    }
                    for (CompletableFuture<RecordMetadata> f : pending) {
                        f.join();
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(5, TimeUnit.MINUTES);
            }
            pool.shutdown();
            double secs = (System.nanoTime() - start) / 1e9;
            System.out.printf("concurrency: %d records from %d threads, 2 groups x 2 consumers, %.1f s%n", total, threads,
                    secs);
            assertThat(violations.get()).isZero();
            for (int g = 0; g < 2; g++) {
                assertThat(counts[g].get()).isEqualTo(total);
                long sum = 0;
                for (int p = 0; p < partitions; p++) {
                    assertThat(nextOffset[g].get(p)).isEqualTo(log.endOffset(new TopicPartition("t", p)));
                    sum += nextOffset[g].get(p);
                }
                assertThat(sum).isEqualTo(total);
            }
        }
    }
}
