package io.runnel.benchmarks.flink;

import io.runnel.benchmarks.data.SessionCounts;
import io.runnel.benchmarks.data.WindowCounts;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where the operators of a local Flink job (same JVM) hand their output and timing back to the
 * benchmark: Flink ships functions to tasks as copies, so they carry only a run id and look the
 * collectors up here. Thread-safe.
 */
final class FlinkRuns {

    /** What one job run collects. */
    static final class Run {
        final WindowCounts windowCounts = new WindowCounts();
        final SessionCounts sessions = new SessionCounts();
        final AtomicLong firstEventNanos = new AtomicLong();
    }

    private static final ConcurrentHashMap<String, Run> RUNS = new ConcurrentHashMap<>();

    private FlinkRuns() {}

    static String open() {
        String id = UUID.randomUUID().toString();
        RUNS.put(id, new Run());
        return id;
    }

    static Run get(String id) {
        Run run = RUNS.get(id);
        if (run == null) {
            throw new IllegalStateException("no Flink benchmark run " + id);
        }
        return run;
    }

    static Run close(String id) {
        return RUNS.remove(id);
    }
}
