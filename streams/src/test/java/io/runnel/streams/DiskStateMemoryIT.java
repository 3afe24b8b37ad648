package io.runnel.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.streams.connect.DeliveryGuarantee;
import io.runnel.streams.connect.Sink;
import io.runnel.streams.connect.SinkContext;
import io.runnel.streams.connect.SinkWriter;
import io.runnel.streams.connect.Source;
import io.runnel.streams.connect.SourceContext;
import io.runnel.streams.connect.SourceOutput;
import io.runnel.streams.connect.SourceReader;
import io.runnel.streams.connect.SourceSplit;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Heap use of keyed state on disk: a job keeps a 600-byte value for each of 150,000 keys (about
 * 100 MB on the heap) and updates each twice. With {@code withStateMemoryLimit(2000)} (state 75 times
 * the cache) the live heap, sampled after full collections while the job runs, grows by far less
 * than the state; the same job with state on the heap shows the sampling sees the state (the check
 * can fail). Both give the reference's results.
 */
class DiskStateMemoryIT {

    private static final int KEYS = 150_000;
    private static final int ROUNDS = 2;
    private static final int VALUE_BYTES = 600;
    private static final long CACHE_ENTRIES = 2000;
    private static final long DISK_GROWTH_BOUND = 40L << 20;

    @TempDir
    Path dir;

    /** Keeps a value per key, changes one byte of it per record, and emits a checksum of key and value. */
    static final class Blobs implements KeyedProcessor<String, Long, Long> {
        private ValueState<byte[]> blob;

        @Override
        public void open(ProcessorContext<String, Long> ctx) {
            blob = ctx.valueState("blob");
        }

        @Override
        public void process(Long record, ProcessorContext<String, Long> ctx) {
            ctx.emit(step(ctx.key(), blob.value(), blob::update));
        }
    }

    /** One record of {@code key}: the new value goes to {@code update}; returns the checksum. */
    static long step(String key, byte[] value, java.util.function.Consumer<byte[]> update) {
        byte[] v = value;
        if (v == null) {
            v = new byte[VALUE_BYTES];
            Arrays.fill(v, (byte) key.hashCode());
        } else {
            v[key.length() % VALUE_BYTES]++;
        }
        update.accept(v);
        return key.hashCode() * 31L + Arrays.hashCode(v);
    }

    @Test
    void shouldKeepTheHeapBoundedWhileStateIsFarLargerThanTheCache() throws Exception {
        long expected = reference();
        Run heap = run("heap", 0);
        Run disk = run("disk", CACHE_ENTRIES);
        System.out.printf("live heap growth: state on the heap %d MB, on disk with %d cached entries %d MB%n",
                heap.growthBytes >> 20, CACHE_ENTRIES, disk.growthBytes >> 20);
        assertThat(heap.checksum).isEqualTo(expected);
        assertThat(disk.checksum).isEqualTo(expected);
        assertThat(heap.growthBytes).as("the sampling sees state on the heap").isGreaterThan(2 * DISK_GROWTH_BOUND);
        assertThat(disk.growthBytes).as("heap growth with state on disk").isLessThan(DISK_GROWTH_BOUND);
    }

    private static long reference() {
        Map<String, byte[]> state = new HashMap<>();
        long sum = 0;
        for (long i = 0; i < (long) KEYS * ROUNDS; i++) {
            String key = key(i);
            sum += step(key, state.get(key), v -> state.put(key, v));
        }
        return sum;
    }

    private static String key(long i) {
        return "key-" + i % KEYS;
    }

    private record Run(long checksum, long growthBytes) {
    }

    private Run run(String name, long stateMemoryLimit) throws Exception {
        HeapSampler heap = new HeapSampler(150);
        AtomicLong checksum = new AtomicLong();
        List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
        try {
            StreamJob job = StreamJob.named("blobs-" + name);
            job.source(new Numbers((long) KEYS * ROUNDS)).keyBy(DiskStateMemoryIT::key)
                    .process(Blobs::new, StateOptions.named("blobs")).to(new ChecksumSink(checksum));
            JobConfig config = JobConfig.defaults().withStateDir(dir.resolve(name)).withCheckpointInterval(Duration.ofSeconds(1))
                    .withJmx(false).withThreadFactory(r -> {
                        Thread t = new Thread(r);
                        threads.add(t);
                        return t;
                    });
            job.run(stateMemoryLimit > 0 ? config.withStateMemoryLimit(stateMemoryLimit) : config);
        } finally {
            heap.close();
            // the job's threads end right after it completes; until then they hold its state
            for (Thread t : threads) {
                t.join(10_000);
            }
        }
        System.out.printf("%s: live heap %d MB before, at most %d MB while running%n", name, heap.baselineBytes() >> 20, heap.peakBytes() >> 20);
        return new Run(checksum.get(), heap.peakBytes() - heap.baselineBytes());
    }

    /** The numbers 0..n-1 in one split. */
    record Numbers(long n) implements Source<Long> {
        @Override public String name() { return "numbers"; }
        @Override public boolean isBounded() { return true; }
        @Override public List<SourceSplit> splits() { return List.of(new SourceSplit("0", new byte[0])); }

        @Override
        public SourceReader<Long> open(SourceSplit split, SourceContext context) {
            long first = split.position().length == 0 ? 0 : ByteBuffer.wrap(split.position()).getLong();
            return new SourceReader<>() {
                long next = first;

                @Override
                public Status poll(SourceOutput<Long> out, int max, Duration timeout) {
                    if (next >= n) {
                        return Status.END;
                    }
                    for (int i = 0; i < max && next < n; i++, next++) {
                        out.collect(next, next);
                    }
                    return Status.MORE;
                }

                @Override public byte[] position() { return ByteBuffer.allocate(8).putLong(next).array(); }
                @Override public void close() { }
            };
        }
    }

    /** Sums what it receives (at-least-once is enough: the job runs once). */
    record ChecksumSink(AtomicLong sum) implements Sink<Long> {
        @Override public String name() { return "checksum"; }
        @Override public DeliveryGuarantee guarantee() { return DeliveryGuarantee.AT_LEAST_ONCE; }

        @Override
        public SinkWriter<Long> open(SinkContext context) {
            return new SinkWriter<>() {
                @Override public void write(Long r) { sum.addAndGet(r); }
                @Override public byte[] prepareCommit(long id) { return new byte[0]; }
                @Override public void commit(long id, byte[] c) { }
                @Override public void close() { }
            };
        }
    }
}
