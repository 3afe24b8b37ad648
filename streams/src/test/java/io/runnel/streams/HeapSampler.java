package io.runnel.streams;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Samples the live heap of this JVM: used bytes right after a full collection, every period, from a baseline taken at start. */
final class HeapSampler {

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    private final long baselineBytes;
    private final AtomicLong peakBytes;

    HeapSampler(long periodMs) {
        System.gc();
        baselineBytes = memory.getHeapMemoryUsage().getUsed();
        peakBytes = new AtomicLong(baselineBytes);
        sampler.scheduleWithFixedDelay(() -> {
            System.gc();
            peakBytes.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
        }, 0, periodMs, TimeUnit.MILLISECONDS);
    }

    long baselineBytes() {
        return baselineBytes;
    }

    /** The most live heap seen so far. */
    long peakBytes() {
        return peakBytes.get();
    }

    /** Stops sampling (and waits for a sample in progress). */
    void close() throws InterruptedException {
        sampler.shutdownNow();
        sampler.awaitTermination(10, TimeUnit.SECONDS);
    }
}
