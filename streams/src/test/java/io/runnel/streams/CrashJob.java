package io.runnel.streams;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The job the crash tests run in a child JVM: per-key tumbling (count, sum, min, max of the
 * sequence numbers), hopping counts and session counts over {@link SequenceSource}, and per
 * sub-key running totals in {@code process} state ({@value #SUB_KEYS} sub-keys per key, far more
 * than a small state cache holds), each into a {@link StagedFileSink}. Under a state memory limit all
 * of this state lives on disk. {@link #reference} computes the same results by brute force.
 *
 * <p>Arguments: stateDir outDir parallelism perSplit ratePerSecond [stateMemoryLimit, 0: heap].
 */
public final class CrashJob {

    static final int SPLITS = 4;
    static final int SUB_KEYS = 200;

    /** Per sub-key: count and sum of sequence numbers (value state) and the last sequence number per seq % 3 (map state). */
    static final class RunningTotals implements KeyedProcessor<String, Ev, String> {
        private ValueState<long[]> totals;
        private MapState<Long, Long> lastByResidue;

        @Override
        public void open(ProcessorContext<String, String> ctx) {
            totals = ctx.valueState("totals");
            lastByResidue = ctx.mapState("last-by-residue");
        }

        @Override
        public void process(Ev e, ProcessorContext<String, String> ctx) {
            long[] t = totals.valueOr(new long[2]);
            t[0]++;
            t[1] += e.seq();
            totals.update(t);
            lastByResidue.put(e.seq() % 3, e.seq());
            ctx.emit("P|" + ctx.key() + "|" + e.seq() + "|" + t[0] + "|" + t[1] + "|" + lastByResidue.entries().size());
        }
    }

    static String subKey(Ev e) {
        return e.key() + "/" + e.seq() % SUB_KEYS;
    }

    record Stats(long count, long sum, long min, long max) {
    }

    static final class StatsAcc {
        long count;
        long sum;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
    }

    static Aggregator<Ev, StatsAcc, Stats> stats() {
        return Aggregator.of(StatsAcc::new, (a, e) -> {
            a.count++;
            a.sum += e.seq();
            a.min = Math.min(a.min, e.seq());
            a.max = Math.max(a.max, e.seq());
            return a;
        }, (a, b) -> {
            a.count += b.count;
            a.sum += b.sum;
            a.min = Math.min(a.min, b.min);
            a.max = Math.max(a.max, b.max);
            return a;
        }, a -> new Stats(a.count, a.sum, a.min, a.max));
    }

    static StreamJob build(Path out, long perSplit, long rate) {
        SequenceSource src = new SequenceSource("sequence", SPLITS, perSplit, rate);
        StreamJob job = StreamJob.named("crash-job");
        SourceStream<Ev> evs = job.source(src).withEventTime(Ev::ts, Duration.ofMillis(100));
        KeyedStream<String, Ev> keyed = evs.keyBy(Ev::key);
        keyed.window(Windows.tumbling(Duration.ofSeconds(1))).aggregate(stats(), StateOptions.named("tumbling-stats"))
                .map(r -> "T|" + line(r) + "|" + r.value()).to(new StagedFileSink("tumbling", out));
        keyed.window(Windows.hopping(Duration.ofSeconds(2), Duration.ofMillis(500))).count(StateOptions.named("hopping-count"))
                .map(r -> "H|" + line(r) + "|" + r.value()).to(new StagedFileSink("hopping", out));
        keyed.window(Windows.session(Duration.ofMillis(300))).count(StateOptions.named("session-count"))
                .map(r -> "S|" + line(r) + "|" + r.value()).to(new StagedFileSink("sessions", out));
        evs.keyBy(CrashJob::subKey).process(RunningTotals::new, StateOptions.named("running-totals"))
                .to(new StagedFileSink("totals", out));
        return job;
    }

    private static String line(WindowResult<String, ?> r) {
        return r.key() + "|" + r.windowStartMs() + "|" + r.windowEndMs() + "|" + r.kind();
    }

    /** The expected output lines, by brute force over every generated event. */
    static List<String> reference(long perSplit) {
        List<Ev> all = new SequenceSource("sequence", SPLITS, perSplit, 0).all();
        // splits are read concurrently and each is within the bound: nothing is late
        WindowOracle oracle = new WindowOracle(all, Long.MAX_VALUE / 4, 0);
        List<String> out = new ArrayList<>();
        for (Map.Entry<WindowOracle.Win, List<Ev>> e : oracle.timeWindows(1000, 1000).entrySet()) {
            List<Ev> evs = e.getValue();
            Stats s = new Stats(evs.size(), evs.stream().mapToLong(Ev::seq).sum(), evs.stream().mapToLong(Ev::seq).min().orElseThrow(),
                    evs.stream().mapToLong(Ev::seq).max().orElseThrow());
            out.add("T|" + e.getKey().key() + "|" + e.getKey().start() + "|" + e.getKey().end() + "|FINAL|" + s);
        }
        for (Map.Entry<WindowOracle.Win, List<Ev>> e : oracle.timeWindows(2000, 500).entrySet()) {
            out.add("H|" + e.getKey().key() + "|" + e.getKey().start() + "|" + e.getKey().end() + "|FINAL|" + e.getValue().size());
        }
        for (Map.Entry<WindowOracle.Win, List<Ev>> e : oracle.sessions(300).entrySet()) {
            out.add("S|" + e.getKey().key() + "|" + e.getKey().start() + "|" + e.getKey().end() + "|FINAL|" + e.getValue().size());
        }
        // a sub-key's events come from one split, in order
        Map<String, long[]> totals = new java.util.HashMap<>();
        Map<String, java.util.Set<Long>> residues = new java.util.HashMap<>();
        for (Ev e : all) {
            long[] t = totals.computeIfAbsent(subKey(e), k -> new long[2]);
            t[0]++;
            t[1] += e.seq();
            java.util.Set<Long> r = residues.computeIfAbsent(subKey(e), k -> new java.util.HashSet<>());
            r.add(e.seq() % 3);
            out.add("P|" + subKey(e) + "|" + e.seq() + "|" + t[0] + "|" + t[1] + "|" + r.size());
        }
        return out;
    }

    public static void main(String[] args) throws Exception {
        Path stateDir = Path.of(args[0]);
        Path out = Path.of(args[1]);
        int parallelism = Integer.parseInt(args[2]);
        long perSplit = Long.parseLong(args[3]);
        long rate = Long.parseLong(args[4]);
        long stateMemoryLimit = args.length > 5 ? Long.parseLong(args[5]) : 0;
        JobConfig config = JobConfig.defaults().withStateDir(stateDir).withParallelism(parallelism)
                .withCheckpointInterval(Duration.ofMillis(100)).withJmx(false).withStopOnShutdown(false);
        if (stateMemoryLimit > 0) {
            config = config.withStateMemoryLimit(stateMemoryLimit);
        }
        build(out, perSplit, rate).run(config);
        Files.writeString(out.resolve("DONE"), "done\n");
    }
}
