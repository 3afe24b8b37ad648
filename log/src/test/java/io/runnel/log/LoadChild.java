package io.runnel.log;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * The load run of {@link LoadIT}, in a child JVM with a small heap: {@code producers} threads
 * append {@code records} 100-byte records each under FSYNC (batches of 100, a bounded window of
 * unacknowledged batches) while {@code consumers} consumers tail all partitions. Each consumer
 * checks every record: offsets contiguous per partition, each producer's sequence rising within a
 * partition, each (producer, sequence) seen once, payload intact. Prints one {@code LOAD ...} line
 * with the counts, the most file descriptors and threads seen, and the heap after a full GC.
 */
public final class LoadChild {
    static final int PARTITIONS = 6;
    static final int VALUE_BYTES = 100;

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int producers = Integer.parseInt(args[1]);
        int records = Integer.parseInt(args[2]);
        int consumers = Integer.parseInt(args[3]);
        long total = (long) producers * records;
        AtomicLong maxFds = new AtomicLong();
        AtomicLong maxThreads = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long start = System.nanoTime();
        try (Log log = Log.open(dir, LogConfig.defaults().withDurability(Durability.fsync()))) {
            log.createTopic("load", TopicConfig.partitions(PARTITIONS));
            List<Checker> checkers = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < consumers; c++) {
                Checker checker = new Checker(producers, records);
                checkers.add(checker);
                threads.add(thread("consumer-" + c, failure, () -> consume(log, checker, total)));
            }
            try (Producer<byte[], byte[]> producer = log.producer(Serdes.bytes(), Serdes.bytes())) {
                for (int p = 0; p < producers; p++) {
                    int id = p;
                    threads.add(thread("producer-" + p, failure, () -> produce(producer, id, records)));
                }
                Thread sampler = new Thread(() -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        maxFds.accumulateAndGet(openFds(), Math::max);
                        maxThreads.accumulateAndGet(Thread.activeCount(), Math::max);
                        try {
                            Thread.sleep(50);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                sampler.setDaemon(true);
                sampler.start();
                for (Thread t : threads) {
                    t.join();
                }
                sampler.interrupt();
            }
            if (failure.get() != null) {
                throw new IllegalStateException("a load thread failed", failure.get());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.gc();
            long heapAfterGc = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            StringBuilder read = new StringBuilder();
            StringBuilder problems = new StringBuilder();
            for (Checker c : checkers) {
                read.append(read.length() == 0 ? "" : ",").append(c.count);
                problems.append(c.problems(log, total));
            }
            long appended = 0;
            for (int p = 0; p < PARTITIONS; p++) {
                appended += log.endOffset(new TopicPartition("load", p));
            }
            System.out.printf("LOAD appended=%d read=%s max_fds=%d max_threads=%d heap_after_gc_mb=%d seconds=%.1f"
                    + " problems=%s%n", appended, read, maxFds.get(), maxThreads.get(), heapAfterGc >> 20, seconds,
                    problems.length() == 0 ? "none" : problems.toString().replace(' ', '_'));
        }
    }

    private static Thread thread(String name, AtomicReference<Throwable> failure, ThrowingRunnable body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }, name);
        t.start();
        return t;
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    static byte[] value(int producer, int seq) {
        ByteBuffer b = ByteBuffer.allocate(VALUE_BYTES);
        long id = ((long) producer << 32) | seq;
        b.putLong(id);
        while (b.hasRemaining()) {
            b.put((byte) (id * 31 + b.position()));
        }
        return b.array();
    }

    private static void produce(Producer<byte[], byte[]> producer, int id, int records) throws Exception {
        ArrayDeque<CompletableFuture<RecordMetadata>> window = new ArrayDeque<>();
        List<ProducerRecord<byte[], byte[]>> batch = new ArrayList<>(100);
        for (int seq = 0; seq < records; seq++) {
            batch.add(ProducerRecord.of("load", null, value(id, seq)));
            if (batch.size() == 100 || seq == records - 1) {
                List<CompletableFuture<RecordMetadata>> fs = producer.sendAll(batch);
                window.add(fs.get(fs.size() - 1));
                batch = new ArrayList<>(100);
                while (window.size() > 64) {
                    window.poll().get();
                }
            }
        }
        while (!window.isEmpty()) {
            window.poll().get();
        }
    }

    private static void consume(Log log, Checker checker, long total) {
        List<TopicPartition> tps = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            tps.add(new TopicPartition("load", p));
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        try (Consumer<byte[], byte[]> c = log.consumer(Serdes.bytes(), Serdes.bytes(), ConsumerConfig.defaults())) {
            c.assign(tps);
            c.seekToBeginning(tps);
            while (checker.count < total && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
                    checker.accept(r);
                }
            }
        }
    }

    private static long openFds() {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        } catch (IOException e) {
            return -1;
        }
    }

    /** One consumer's oracle. Not thread-safe (one consumer thread). */
    static final class Checker {
        final long[] nextOffset = new long[PARTITIONS];
        final int[][] lastSeq;
        final BitSet[] seen;
        final int records;
        long count;
        long violations;
        String firstViolation = "";

        Checker(int producers, int records) {
            this.records = records;
            this.lastSeq = new int[PARTITIONS][producers];
            for (int[] l : lastSeq) {
                java.util.Arrays.fill(l, -1);
            }
            this.seen = new BitSet[producers];
            for (int p = 0; p < producers; p++) {
                seen[p] = new BitSet(records);
            }
        }

        void accept(ConsumerRecord<byte[], byte[]> r) {
            count++;
            byte[] v = r.value();
            long id = ByteBuffer.wrap(v).getLong();
            int producer = (int) (id >>> 32);
            int seq = (int) id;
            if (r.offset() != nextOffset[r.partition()]) {
                violation("partition " + r.partition() + " offset " + r.offset() + " expected " + nextOffset[r.partition()]);
            }
            nextOffset[r.partition()] = r.offset() + 1;
            if (producer < 0 || producer >= seen.length || seq < 0 || seq >= records
                    || !java.util.Arrays.equals(v, value(producer, seq))) {
                violation("corrupt value at " + r.partition() + "/" + r.offset());
                return;
            }
            if (seq <= lastSeq[r.partition()][producer]) {
                violation("producer " + producer + " sequence " + seq + " after " + lastSeq[r.partition()][producer]);
            }
            lastSeq[r.partition()][producer] = seq;
            if (seen[producer].get(seq)) {
                violation("duplicate " + producer + "/" + seq);
            }
            seen[producer].set(seq);
        }

        private void violation(String what) {
            if (violations++ == 0) {
                firstViolation = what;
            }
        }

        String problems(Log log, long total) {
            StringBuilder out = new StringBuilder();
            if (violations > 0) {
                out.append(violations).append(" violations, first: ").append(firstViolation).append("; ");
            }
            long missing = 0;
            for (BitSet b : seen) {
                missing += records - b.cardinality();
            }
            if (missing > 0 || count != total) {
                out.append(count).append(" read of ").append(total).append(", ").append(missing).append(" missing; ");
            }
            return out.toString();
        }
    }
}
