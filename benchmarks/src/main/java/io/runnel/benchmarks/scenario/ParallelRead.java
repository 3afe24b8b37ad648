package io.runnel.benchmarks.scenario;

import io.runnel.benchmarks.CheckFailedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One timed pass of the read test, the same for every system: {@code consumers} consumers, each on
 * a thread of its own and assigned the partitions {@code p} with {@code p % consumers} equal to its
 * index, read a topic of {@code n} records from the beginning; the pass takes from the moment all
 * have been positioned until the last record arrives. The count and the sum of the values' hashes
 * are checked.
 */
public final class ParallelRead {

    /** One consumer, opened and positioned at the beginning of its partitions. */
    public interface Reader extends AutoCloseable {
        /** Polls once and adds every record's value hash to {@code tally}. */
        void poll(Tally tally) throws Exception;

        @Override
        void close();
    }

    /** Opens a consumer of {@code partitions} of {@code topic}, positioned at the beginning. */
    @FunctionalInterface
    public interface Opener {
        Reader open(String topic, List<Integer> partitions) throws Exception;
    }

    /** What one consumer has read. One thread. */
    public static final class Tally {
        long count;
        long checksum;

        public void add(long valueHash) {
            count++;
            checksum += valueHash;
        }
    }

    private ParallelRead() {
    }

    /** The variant name of a read with {@code consumers} consumers. */
    public static String variant(int consumers) {
        return "consumer-" + consumers;
    }

    /** Reads {@code topic} ({@code n} records) with {@code consumers} consumers; returns the seconds it took. */
    public static double run(String topic, int consumers, long n, long expectedChecksum, Duration timeout,
            Opener opener) throws Exception {
        List<Reader> readers = new ArrayList<>();
        try {
            for (int c = 0; c < consumers; c++) {
                List<Integer> partitions = new ArrayList<>();
                for (int p = c; p < LogWorkload.PARTITIONS; p += consumers) {
                    partitions.add(p);
                }
                readers.add(opener.open(topic, partitions));
            }
            AtomicLong total = new AtomicLong();
            AtomicLong endNanos = new AtomicLong();
            AtomicLong startNanos = new AtomicLong();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            CyclicBarrier ready = new CyclicBarrier(consumers, () -> startNanos.set(System.nanoTime()));
            Tally[] tallies = new Tally[consumers];
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < consumers; c++) {
                Reader reader = readers.get(c);
                Tally tally = new Tally();
                tallies[c] = tally;
                Thread t = new Thread(() -> {
                    try {
                        ready.await();
                        long deadline = startNanos.get() + timeout.toNanos();
                        long reported = 0;
                        while (total.get() < n && failure.get() == null && System.nanoTime() < deadline) {
                            reader.poll(tally);
                            if (tally.count != reported) {
                                long now = total.addAndGet(tally.count - reported);
                                reported = tally.count;
                                if (now >= n) {
                                    endNanos.compareAndSet(0, System.nanoTime());
                                }
                            }
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }, "read-" + topic + "-" + c);
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join();
            }
            if (failure.get() != null) {
                throw new CheckFailedException("a consumer of " + topic + " failed: " + failure.get());
            }
            long count = 0;
            long checksum = 0;
            for (Tally tally : tallies) {
                count += tally.count;
                checksum += tally.checksum;
            }
            if (count != n) {
                throw new CheckFailedException("read " + count + " records of " + n + " from " + topic);
            }
            if (checksum != expectedChecksum) {
                throw new CheckFailedException("checksum of the values read differs from the values written");
            }
            return (endNanos.get() - startNanos.get()) / 1e9;
        } finally {
            for (Reader r : readers) {
                r.close();
            }
        }
    }
}
