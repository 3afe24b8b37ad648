package io.runnel.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.base.Suppliers;
import io.runnel.streams.connect.Source;
import io.runnel.streams.connect.SourceContext;
import io.runnel.streams.connect.SourceOutput;
import io.runnel.streams.connect.ForwardingSourceReader;
import io.runnel.streams.connect.SourceReader;
import io.runnel.streams.connect.SourceSplit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Random plan shapes: windows over the source and over other windows' results, stream-stream joins,
 * merges of main outputs and late-event streams across stages, splits, maps and filters. At parallelism
 * 1-3 every bounded job must end, and every sink must hold exactly what a brute-force interpreter of
 * the plan computes. {@code -Drunnel.test.seeds=N} runs N plans (parallelism 1, 2, 3, 1, ...); a failure
 * names its seed: {@code -Dseed=S -Drunnel.test.seeds=1 -Drunnel.test.parallelism=P} repeats it.
 *
 * <p>The source has one split and the job polls one record at a time, so every operator sees the
 * watermark the oracle assumes: W = the highest time before the record - the bound. Records behind W
 * exist only at the windows over the source (events generated beyond the bound); everything else is
 * "safe" (no record behind the watermark where it arrives), so a window or join over it is
 * deterministic. Streams that may carry records behind their watermark (the raw source, late-event
 * streams) feed only stateless operators and sinks.
 */
class PlanShapeTest {

    private static final long BOUND_MS = 40;

    /**
     * A stream of the plan being built, what the oracle says it carries (evaluated after the run, see
     * {@link #window}), and where it may go.
     */
    private record Node(EventStream<Ev> stream, Supplier<List<Ev>> expected, boolean safe, boolean sourceOrdered, String shape) {
    }

    /** A built job, its sinks with what each must hold, and the plan in words (printed on failure). */
    private record Built(StreamJob job, Map<CollectingSink<Ev>, Supplier<List<Ev>>> sinks, String shape) {
    }

    private static final Comparator<Ev> ORDER = Comparator.comparing(Ev::key).thenComparingLong(Ev::ts)
            .thenComparingLong(Ev::seq).thenComparingDouble(Ev::value);

    @Test
    void shouldEndEveryBoundedPlanWithTheOraclesResults() throws Exception {
        long seed = Seeds.base("plan-shapes");
        for (int i = 0; i < Seeds.count(15); i++) {
            int p = Integer.getInteger("runnel.test.parallelism", 1 + i % 3);
            Built b = build(new Random(seed + i), p, false);
            runAndCheck(b, p, "seed " + (seed + i));
        }
    }

    @Test
    void shouldCatchLostLateEventsInTheOracle() {
        // the checker is not vacuous: plans whose first window loses its late events fail it
        long seed = Seeds.base("plan-shapes-broken");
        int failed = 0;
        for (int i = 0; i < 5; i++) {
            // parallelism 1: the late events are exactly the oracle's (no start-up race), so never none
            Built b = build(new Random(seed + i), 1, true);
            assertThatThrownBy(() -> runAndCheck(b, 1, "broken")).isInstanceOf(AssertionError.class);
            failed++;
        }
        assertThat(failed).isEqualTo(5);
    }

    private static void runAndCheck(Built b, int p, String what) throws Exception {
        RunningJob running = b.job().start(b.job().config().withParallelism(p));
        boolean ended = running.await(Duration.ofSeconds(20));
        if (!ended) {
            running.cancel();
        }
        assertThat(ended).as("%s: the job ended at parallelism %s; plan:%n%s", what, p, b.shape()).isTrue();
        for (Map.Entry<CollectingSink<Ev>, Supplier<List<Ev>>> e : b.sinks().entrySet()) {
            List<Ev> actual = new ArrayList<>(e.getKey().records());
            List<Ev> expected = new ArrayList<>(e.getValue().get());
            actual.sort(ORDER);
            expected.sort(ORDER);
            assertThat(actual).as("%s: sink %s at parallelism %s; plan:%n%s", what, e.getKey().name(), p, b.shape())
                    .isEqualTo(expected);
        }
    }

    /** A random plan over random events; {@code broken}: the job (not the oracle) loses the late events of a window. */
    private static Built build(Random rnd, int p, boolean broken) {
        List<Ev> events = new ArrayList<>();
        Set<Ev> late = new HashSet<>();
        long maxTs = Long.MIN_VALUE;
        long base = 1_000_000;
        int keys = 2 + rnd.nextInt(6);
        long[] seq = new long[keys];
        int n = 1000 + rnd.nextInt(2000);
        for (int i = 0; i < n; i++) {
            base += rnd.nextInt(6);
            int k = rnd.nextInt(keys);
            long ts = rnd.nextInt(20) == 0 ? base - BOUND_MS - 1 - rnd.nextInt(500) : base - rnd.nextInt((int) BOUND_MS + 1);
            Ev e = new Ev("k" + k, ts, ++seq[k], k);
            if (maxTs != Long.MIN_VALUE && ts < maxTs - BOUND_MS) {
                late.add(e);
            }
            maxTs = Math.max(maxTs, ts);
            events.add(e);
        }
        // a tiny poll batch: the watermark rises after every record, as the oracle assumes
        StreamJob job = StreamJob.named("plan-shapes", JobConfig.defaults().withJmx(false).withPollBatchSize(1)
                .withCheckpointInterval(Duration.ofMillis(20 + rnd.nextInt(80))).withExchange(16, 1 + rnd.nextInt(64)));
        SourceStream<Ev> s = job.source(new DelayedSource<>(CollectionSource.of("events", events), Duration.ofMillis(30)))
                .withEventTime(Ev::ts, Duration.ofMillis(BOUND_MS));
        List<Node> pool = new ArrayList<>();
        List<Node> consumed = new ArrayList<>();
        pool.add(new Node(s, () -> events, false, true, "source"));
        StringBuilder shape = new StringBuilder();
        int stateful = 0;
        int steps = 4 + rnd.nextInt(6);
        for (int step = 0; step < steps; step++) {
            int op = broken && step == 0 ? 0 : rnd.nextInt(6);
            if ((op == 0 || op == 1) && stateful < 4) {
                // a window over the source (late events possible) or over a safe stream
                Predicate<Node> fits = op == 0 ? Node::sourceOrdered : Node::safe;
                List<Node> inputs = pool.stream().filter(fits).toList();
                if (inputs.isEmpty()) {
                    continue;
                }
                stateful++;
                window(rnd, inputs.get(rnd.nextInt(inputs.size())), late, p == 1, pool, consumed, shape, broken && step == 0);
            } else if (op == 2 && stateful < 4) {
                List<Node> safe = pool.stream().filter(Node::safe).toList();
                if (safe.isEmpty()) {
                    continue;
                }
                stateful++;
                join(rnd, safe.get(rnd.nextInt(safe.size())), safe.get(rnd.nextInt(safe.size())), pool, consumed, shape);
            } else if (op == 3 && pool.size() >= 2) {
                merge(rnd, pool, consumed, shape);
            } else if (op == 4) {
                Node in = pool.get(rnd.nextInt(pool.size()));
                stateless(rnd, in, pool, consumed, shape);
            } else {
                Node in = pool.get(rnd.nextInt(pool.size()));
                split(rnd, in, pool, consumed, shape);
            }
        }
        Map<CollectingSink<Ev>, Supplier<List<Ev>>> sinks = new java.util.LinkedHashMap<>();
        int sinkNo = 0;
        for (Node node : pool) {
            // every stream nobody reads ends in a sink; some read ones get a sink too
            if (!consumed.contains(node) || rnd.nextInt(4) == 0) {
                CollectingSink<Ev> sink = CollectingSink.named("sink" + sinkNo++);
                node.stream().to(sink);
                sinks.put(sink, node.expected());
                shape.append("  sink").append(sinkNo - 1).append(" <- ").append(node.shape()).append('\n');
            }
        }
        return new Built(job, sinks, shape.toString());
    }

    /**
     * A window over {@code in}. Over a stream in source order its late events are those the oracle
     * finds behind the source's watermark, with one exception: at parallelism > 1 the window's watermark
     * is the minimum over every task of stage 0, and a task without a split holds it at -infinity until
     * its first watermark (+infinity) arrives, which races with the first records. So the oracle checks
     * the late events a probe sink saw (at parallelism 1: exactly the oracle's; else, per key, the
     * oracle's from some point on) and computes the results from those.
     */
    private static void window(Random rnd, Node in, Set<Ev> lateAtSource, boolean exact, List<Node> pool, List<Node> consumed,
                               StringBuilder shape, boolean dropLateEvents) {
        long size = List.of(50L, 100L, 250L, 1000L).get(rnd.nextInt(4));
        int keyChoice = rnd.nextInt(3);
        Function<Ev, String> keyFn = switch (keyChoice) {
            case 0 -> Ev::key;
            case 1 -> e -> "x";
            default -> e -> e.key().length() % 2 == 0 ? "even" : "odd";
        };
        boolean count = rnd.nextBoolean();
        AggregatedStream<String, Ev, Long> agg = count
                ? in.stream().keyBy(keyFn).window(Windows.tumbling(Duration.ofMillis(size))).count()
                : in.stream().keyBy(keyFn).window(Windows.tumbling(Duration.ofMillis(size))).aggregate(Statistics.sumLong(Ev::seq));
        String what = "window(" + (count ? "count" : "sum") + " by " + keyChoice + ", " + size + " ms) of [" + in.shape() + "]";
        CollectingSink<Ev> probe = CollectingSink.named("late-probe-" + pool.size());
        agg.lateEvents().to(probe);
        Supplier<List<Ev>> lateHere = Suppliers.memoize(() -> {
            if (!in.sourceOrdered()) {
                return List.of();
            }
            Set<Ev> seen = new HashSet<>(probe.records());
            Set<String> switched = new HashSet<>();
            List<Ev> out = new ArrayList<>();
            for (Ev e : in.expected().get()) {
                boolean oracleLate = lateAtSource.contains(e);
                assertThat(!seen.contains(e) || oracleLate).as("%s: %s is late at the window but not by the oracle", what, e).isTrue();
                if (oracleLate && (exact || switched.contains(keyFn.apply(e)))) {
                    assertThat(seen).as("%s: %s is late by the oracle, and so was an earlier event of its key", what, e).contains(e);
                }
                if (seen.contains(e)) {
                    switched.add(keyFn.apply(e));
                    out.add(e);
                }
            }
            return out;
        });
        Supplier<List<Ev>> results = Suppliers.memoize(() -> {
            Set<Ev> late = new HashSet<>(lateHere.get());
            Map<String, Long> perWindow = new TreeMap<>();
            for (Ev e : in.expected().get()) {
                if (!late.contains(e)) {
                    long start = Math.floorDiv(e.ts(), size) * size;
                    perWindow.merge(keyFn.apply(e) + "@" + start, count ? 1 : e.seq(), Long::sum);
                }
            }
            List<Ev> out = new ArrayList<>();
            perWindow.forEach((k, v) -> {
                int at = k.lastIndexOf('@');
                out.add(new Ev(k.substring(0, at), Long.parseLong(k.substring(at + 1)) + size - 1, v, -1));
            });
            return out;
        });
        EventStream<Ev> main = agg.map(r -> new Ev(r.key(), r.windowEndMs() - 1, r.value(), -1));
        consumed.add(in);
        pool.add(new Node(main, results, true, false, what));
        EventStream<Ev> lateStream = agg.lateEvents();
        if (dropLateEvents) {
            lateStream = lateStream.filter(e -> false);
        }
        // a late stream of a safe input is empty, so it is safe itself
        pool.add(new Node(lateStream, lateHere, in.safe(), false, "late of " + what));
        shape.append("  ").append(what).append('\n');
    }

    private static void join(Random rnd, Node left, Node right, List<Node> pool, List<Node> consumed, StringBuilder shape) {
        long within = rnd.nextInt(30);
        JoinedStream<Ev, Ev, Ev> joined = left.stream().keyBy(Ev::key).join(right.stream().keyBy(Ev::key),
                JoinWindow.within(Duration.ofMillis(within)), PlanShapeTest::pair);
        Supplier<List<Ev>> expected = Suppliers.memoize(() -> {
            List<Ev> out = new ArrayList<>();
            Map<String, List<Ev>> rightByKey = new HashMap<>();
            for (Ev r : right.expected().get()) {
                rightByKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r);
            }
            for (Ev l : left.expected().get()) {
                for (Ev r : rightByKey.getOrDefault(l.key(), List.of())) {
                    if (Math.abs(l.ts() - r.ts()) <= within) {
                        out.add(pair(l, r));
                    }
                }
            }
            return out;
        });
        String what = "join(" + within + " ms) of [" + left.shape() + "] and [" + right.shape() + "]";
        consumed.add(left);
        consumed.add(right);
        pool.add(new Node(joined, expected, true, false, what));
        pool.add(new Node(joined.lateLeftEvents(), List::of, true, false, "late left of " + what));
        pool.add(new Node(joined.lateRightEvents(), List::of, true, false, "late right of " + what));
        shape.append("  ").append(what).append('\n');
    }

    private static Ev pair(Ev l, Ev r) {
        return new Ev(l.key(), Math.max(l.ts(), r.ts()), l.seq() * 1_000_003 + r.seq(), l.value() * 31 + r.value());
    }

    private static void merge(Random rnd, List<Node> pool, List<Node> consumed, StringBuilder shape) {
        Node a = pool.get(rnd.nextInt(pool.size()));
        Node b = pool.get(rnd.nextInt(pool.size()));
        if (a == b) {
            return;
        }
        Supplier<List<Ev>> expected = () -> {
            List<Ev> out = new ArrayList<>(a.expected().get());
            out.addAll(b.expected().get());
            return out;
        };
        String what = "merge of [" + a.shape() + "] and [" + b.shape() + "]";
        consumed.add(a);
        consumed.add(b);
        pool.add(new Node(a.stream().merge(b.stream()), expected, a.safe() && b.safe(), false, what));
        shape.append("  ").append(what).append('\n');
    }

    private static void stateless(Random rnd, Node in, List<Node> pool, List<Node> consumed, StringBuilder shape) {
        boolean filter = rnd.nextBoolean();
        int m = 2 + rnd.nextInt(3);
        EventStream<Ev> out;
        Supplier<List<Ev>> expected;
        if (filter) {
            Predicate<Ev> keep = e -> e.seq() % m != 0;
            out = in.stream().filter(keep::test);
            expected = () -> in.expected().get().stream().filter(keep).toList();
        } else {
            Function<Ev, Ev> f = e -> new Ev(e.key(), e.ts(), e.seq() * m, e.value());
            out = in.stream().map(f::apply);
            expected = () -> in.expected().get().stream().map(f).toList();
        }
        String what = (filter ? "filter(" : "map(") + m + ") of [" + in.shape() + "]";
        consumed.add(in);
        // a filter keeps the source order and the records, so a window over it sees them as the oracle does
        pool.add(new Node(out, expected, in.safe(), filter && in.sourceOrdered(), what));
        shape.append("  ").append(what).append('\n');
    }

    private static void split(Random rnd, Node in, List<Node> pool, List<Node> consumed, StringBuilder shape) {
        int m = 2 + rnd.nextInt(3);
        Predicate<Ev> first = e -> e.seq() % m == 0;
        Branches<Ev> branches = in.stream().split(List.of(first));
        Supplier<List<Ev>> matched = () -> in.expected().get().stream().filter(first).toList();
        Supplier<List<Ev>> rest = () -> in.expected().get().stream().filter(first.negate()).toList();
        String what = "split(" + m + ") of [" + in.shape() + "]";
        consumed.add(in);
        pool.add(new Node(branches.branch(0), matched, in.safe(), in.sourceOrdered(), what + "[0]"));
        pool.add(new Node(branches.unmatched(), rest, in.safe(), in.sourceOrdered(), what + "[rest]"));
        shape.append("  ").append(what).append('\n');
    }

    /**
     * A source that looks caught up, with a backlog (so it is not idle), for a while after it opens:
     * by then the tasks without a split have sent their watermark, and the windows see the split's
     * watermark alone, so late events are late at parallelism > 1 too (see {@link #window}).
     */
    private static final class DelayedSource<T> implements Source<T> {
        private final Source<T> delegate;
        private final long delayNanos;

        DelayedSource(Source<T> delegate, Duration delay) {
            this.delegate = delegate;
            this.delayNanos = delay.toNanos();
        }

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public boolean isBounded() {
            return delegate.isBounded();
        }

        @Override
        public List<SourceSplit> splits() {
            return delegate.splits();
        }

        @Override
        public SourceReader<T> open(SourceSplit split, SourceContext context) {
            SourceReader<T> reader = delegate.open(split, context);
            long openedAt = System.nanoTime();
            return new ForwardingSourceReader<>(reader) {
                @Override
                public Status poll(SourceOutput<T> output, int maxRecords, Duration timeout) {
                    return System.nanoTime() - openedAt < delayNanos ? Status.CAUGHT_UP : reader.poll(output, maxRecords, timeout);
                }

                @Override
                public boolean hasBacklog() {
                    return true;
                }
            };
        }
    }
}
