package io.runnel.log.internal;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Floor lookup in a segment's sparse offset index (the binary search of every seek and fetch).
 * It lives in the log's own package because the index is package-private there; the jar is
 * assembled on the class path, so the split package is harmless. A segment of 256 MiB with an
 * entry every 4 KiB holds 64 Ki entries.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SparseIndexBenchmark {

    @Param({"1024", "65536"})
    public int entries;

    private final SparseIndex index = new SparseIndex();
    private long[] probes;
    private int next;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(42);
        long offset = 0;
        for (int i = 0; i < entries; i++) {
            index.add(offset, i * 4096L);
            offset += 30 + random.nextInt(10); // about 35 records of 100 B per 4 KiB
        }
        probes = new long[4096];
        for (int i = 0; i < probes.length; i++) {
            probes[i] = random.nextLong(offset);
        }
    }

    @Benchmark
    public long floorLookup() {
        int i = index.floor(probes[next++ & (probes.length - 1)]);
        return index.value(i);
    }
}
