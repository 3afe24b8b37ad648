package io.runnel.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** map, filter, flatMap, peek, split, merge, process, and the joins against brute force over random input. */
class OperatorOracleTest {

    @TempDir
    Path dir;

    @Test
    void shouldMatchOracleForStatelessOperators() {
        long seed = Seeds.base("stateless");
        for (int i = 0; i < Seeds.count(100); i++) {
            checkStateless(new Random(seed + i), false);
        }
    }

    /** The stateless oracle catches a split whose predicates are tried in the wrong order. */
    @Test
    void statelessOracleShouldCatchAWrongSplitOrder() {
        assertThatThrownBy(() -> checkStateless(new Random(11), true)).isInstanceOf(AssertionError.class);
    }

    private static void checkStateless(Random rnd, boolean broken) {
        {
            List<Integer> a = rnd.ints(rnd.nextInt(500), -1000, 1000).boxed().toList();
            List<Integer> b = rnd.ints(rnd.nextInt(500), -1000, 1000).boxed().toList();
            int m = 2 + rnd.nextInt(5);
            CollectionSource<Integer> srcA = CollectionSource.of("a", List.of());
            CollectionSource<Integer> srcB = CollectionSource.of("b", List.of());
            CollectingSink<Integer> even = CollectingSink.named("even");
            CollectingSink<Integer> small = CollectingSink.named("small");
            CollectingSink<Integer> rest = CollectingSink.named("rest");
            List<Integer> peeked = new ArrayList<>();
            StreamJob job = StreamJob.named("stateless");
            EventStream<Integer> merged = job.source(srcA).map(x -> x * m).filter(x -> x % 3 != 0)
                    .merge(job.source(srcB).flatMap((Integer x, java.util.function.Consumer<Integer> out) -> {
                        for (int k = 0; k < Math.floorMod(x, 3); k++) {
                            out.accept(x + k);
                        }
                    }))
                    .peek(peeked::add);
            Predicate<Integer> isEven = x -> x % 2 == 0;
            Predicate<Integer> isSmall = x -> Math.abs(x) < 100;
            Branches<Integer> br = merged.split(broken ? List.of(isSmall, isEven) : List.of(isEven, isSmall));
            br.branch(broken ? 1 : 0).to(even);
            br.branch(broken ? 0 : 1).to(small);
            br.unmatched().to(rest);
            List<Integer> expectedMerged = new ArrayList<>();
            try (JobTestDriver d = JobTestDriver.of(job)) {
                for (int x : a) {
                    d.input(srcA).send(x, 0);
                    int y = x * m;
                    if (y % 3 != 0) {
                        expectedMerged.add(y);
                    }
                }
                for (int x : b) {
                    d.input(srcB).send(x, 0);
                    for (int k = 0; k < Math.floorMod(x, 3); k++) {
                        expectedMerged.add(x + k);
                    }
                }
                assertThat(peeked).isEqualTo(expectedMerged);
                assertThat(d.output(even)).isEqualTo(expectedMerged.stream().filter(x -> x % 2 == 0).toList());
                assertThat(d.output(small)).isEqualTo(expectedMerged.stream().filter(x -> x % 2 != 0 && Math.abs(x) < 100).toList());
                assertThat(d.output(rest)).isEqualTo(expectedMerged.stream().filter(x -> x % 2 != 0 && Math.abs(x) >= 100).toList());
            }
        }
    }

    /** A keyed running sum that also sets an event-time timer 1000 ms after each event. */
    static class SumWithTimers implements KeyedProcessor<String, Ev, String> {
        private ValueState<Long> sum;

        boolean skipTimer(Ev e) {
            return false;
        }

        @Override
        public void open(ProcessorContext<String, String> ctx) {
            sum = ctx.valueState("sum");
        }

        @Override
        public void process(Ev e, ProcessorContext<String, String> ctx) {
            long s = sum.valueOr(0L) + e.seq();
            sum.update(s);
            ctx.emit(ctx.key() + "=" + s);
            if (!skipTimer(e)) {
                ctx.registerEventTimeTimer(e.ts() + 1000);
            }
        }

        @Override
        public void onTimer(long timeMs, TimeDomain domain, ProcessorContext<String, String> ctx) {
            ctx.emit("timer " + ctx.key() + "@" + timeMs);
        }
    }

    /** A broken variant: forgets the timer of every 50th sequence number. */
    static final class LosingTimers extends SumWithTimers {
        @Override
        boolean skipTimer(Ev e) {
            return e.seq() % 50 == 0;
        }
    }

    @Test
    void shouldMatchOracleForProcess() {
        long seed = Seeds.base("process");
        for (int i = 0; i < Seeds.count(60); i++) {
            checkProcess(new Random(seed + i), SumWithTimers::new);
        }
    }

    @Test
    void processOracleShouldCatchALostTimer() {
        assertThatThrownBy(() -> checkProcess(new Random(5), LosingTimers::new)).isInstanceOf(AssertionError.class);
    }

    private static void checkProcess(Random rnd, java.util.function.Supplier<SumWithTimers> processor) {
        {
            List<Ev> evs = Ev.random(rnd, 300 + rnd.nextInt(500), 1 + rnd.nextInt(8), 1 + rnd.nextInt(300), 100);
            CollectionSource<Ev> src = CollectionSource.of("evs", List.of());
            CollectingSink<String> sink = CollectingSink.named("out");
            StreamJob job = StreamJob.named("process");
            job.source(src).withEventTime(Ev::ts, Duration.ofMillis(100)).keyBy(Ev::key).process(processor).to(sink);
            Map<String, Long> sums = new HashMap<>();
            List<String> expected = new ArrayList<>();
            TreeSet<String> timers = new TreeSet<>();
            try (JobTestDriver d = JobTestDriver.of(job)) {
                for (Ev e : evs) {
                    d.input(src).send(e, 0);
                    expected.add(e.key() + "=" + sums.merge(e.key(), e.seq(), Long::sum));
                    timers.add("timer " + e.key() + "@" + (e.ts() + 1000));
                }
                d.endAllInputs();
                List<String> out = d.output(sink);
                assertThat(out.stream().filter(s -> !s.startsWith("timer")).toList()).isEqualTo(expected);
                List<String> fired = out.stream().filter(s -> s.startsWith("timer")).toList();
                assertThat(new TreeSet<>(fired)).isEqualTo(timers);
                assertThat(fired).hasSameSizeAs(timers); // each (key, time) once
            }
        }
    }

    record Side(String key, long ts, int id) {
    }

    record Pair(int left, int right) {
    }

    private static final long BOUND = 50;

    /** Runs the interval join; returns the sorted pairs. */
    static List<Pair> runIntervalJoin(List<Side> lefts, List<Side> rights, List<Boolean> order, long within, long bound,
                                      List<Side> lateOut) {
        return runIntervalJoin(lefts, rights, order, within, bound, lateOut, JobConfig.defaults());
    }

    /** Runs the interval join with {@code config}'s state (on the heap, or on disk); returns the sorted pairs. */
    static List<Pair> runIntervalJoin(List<Side> lefts, List<Side> rights, List<Boolean> order, long within, long bound,
                                      List<Side> lateOut, JobConfig config) {
        CollectionSource<Side> l = CollectionSource.of("left", List.of());
        CollectionSource<Side> r = CollectionSource.of("right", List.of());
        CollectingSink<Pair> sink = CollectingSink.named("pairs");
        StreamJob job = StreamJob.named("join");
        JoinedStream<Side, Side, Pair> joined = job.source(l).withEventTime(Side::ts, Duration.ofMillis(bound)).keyBy(Side::key)
                .join(job.source(r).withEventTime(Side::ts, Duration.ofMillis(bound)).keyBy(Side::key),
                        JoinWindow.within(Duration.ofMillis(within)), (a, b) -> new Pair(a.id(), b.id()));
        joined.to(sink);
        try (JobTestDriver d = JobTestDriver.of(job, config)) {
            int li = 0;
            int ri = 0;
            for (boolean left : order) {
                if (left) {
                    d.input(l).send(lefts.get(li++), 0);
                } else {
                    d.input(r).send(rights.get(ri++), 0);
                }
            }
            d.endAllInputs();
            lateOut.addAll(d.lateLeftEvents(joined));
            lateOut.addAll(d.lateRightEvents(joined));
            List<Pair> out = new ArrayList<>(d.output(sink));
            out.sort((x, y) -> x.left() != y.left() ? Integer.compare(x.left(), y.left()) : Integer.compare(x.right(), y.right()));
            return out;
        }
    }

    static List<Pair> joinOracle(List<Side> lefts, List<Side> rights, List<Boolean> order, long within, List<Side> late) {
        long maxL = Long.MIN_VALUE;
        long maxR = Long.MIN_VALUE;
        List<Side> okL = new ArrayList<>();
        List<Side> okR = new ArrayList<>();
        int li = 0;
        int ri = 0;
        for (boolean left : order) {
            long w = maxL == Long.MIN_VALUE || maxR == Long.MIN_VALUE ? Long.MIN_VALUE : Math.min(maxL, maxR) - BOUND;
            Side s = left ? lefts.get(li++) : rights.get(ri++);
            if (w != Long.MIN_VALUE && s.ts() < w) {
                late.add(s);
            } else {
                (left ? okL : okR).add(s);
            }
            if (left) {
                maxL = Math.max(maxL, s.ts());
            } else {
                maxR = Math.max(maxR, s.ts());
            }
        }
        List<Pair> out = new ArrayList<>();
        for (Side a : okL) {
            for (Side b : okR) {
                if (a.key().equals(b.key()) && Math.abs(a.ts() - b.ts()) <= within) {
                    out.add(new Pair(a.id(), b.id()));
                }
            }
        }
        out.sort((x, y) -> x.left() != y.left() ? Integer.compare(x.left(), y.left()) : Integer.compare(x.right(), y.right()));
        return out;
    }

    private static List<Side> sides(Random rnd, int n, int idBase, long jitter) {
        List<Side> out = new ArrayList<>();
        long t = 10_000;
        for (int i = 0; i < n; i++) {
            t += rnd.nextInt(20);
            out.add(new Side("k" + rnd.nextInt(4), t - (long) (rnd.nextDouble() * jitter), idBase + i));
        }
        return out;
    }

    /** With the join's buffers on the heap, and on disk behind a cache of 1 entry (the 4 keys' buffers mostly in key-group files). */
    @ParameterizedTest(name = "state on the {0}")
    @EnumSource(WindowOracleTest.StateMode.class)
    void shouldMatchOracleForIntervalJoin(WindowOracleTest.StateMode mode) {
        long seed = Seeds.base("interval join");
        for (int i = 0; i < Seeds.count(100); i++) {
            JobConfig config = mode == WindowOracleTest.StateMode.HEAP ? JobConfig.defaults()
                    : JobConfig.defaults().withStateDir(dir.resolve("join-" + i)).withStateMemoryLimit(1);
            Random rnd = new Random(seed + i);
            long jitter = rnd.nextBoolean() ? BOUND : BOUND * 4;
            List<Side> lefts = sides(rnd, rnd.nextInt(300), 0, jitter);
            List<Side> rights = sides(rnd, rnd.nextInt(300), 100_000, jitter);
            List<Boolean> order = new ArrayList<>();
            lefts.forEach(x -> order.add(true));
            rights.forEach(x -> order.add(false));
            java.util.Collections.shuffle(order, rnd);
            long within = rnd.nextInt(60);
            List<Side> late = new ArrayList<>();
            List<Side> expectedLate = new ArrayList<>();
            assertThat(runIntervalJoin(lefts, rights, order, within, BOUND, late, config))
                    .isEqualTo(joinOracle(lefts, rights, order, within, expectedLate));
            assertThat(late).containsExactlyInAnyOrderElementsOf(expectedLate);
        }
    }

    @Test
    void joinOracleShouldCatchAnOffByOneWindow() {
        Random rnd = new Random(3);
        List<Side> lefts = sides(rnd, 300, 0, 0);
        List<Side> rights = sides(rnd, 300, 100_000, 0);
        List<Boolean> order = new ArrayList<>();
        lefts.forEach(x -> order.add(true));
        rights.forEach(x -> order.add(false));
        assertThatThrownBy(() -> assertThat(runIntervalJoin(lefts, rights, order, 11, 10_000, new ArrayList<>()))
                .isEqualTo(joinOracle(lefts, rights, order, 10, new ArrayList<>()))).isInstanceOf(AssertionError.class);
    }

    record Update(String key, String value) {
    }

    @Test
    void shouldMatchOracleForTableAndLookupJoins() {
        long seed = Seeds.base("table join");
        for (int i = 0; i < Seeds.count(60); i++) {
            checkTableJoins(new Random(seed + i), false);
        }
    }

    /** The table-join oracle catches a table that misses some updates. */
    @Test
    void tableJoinOracleShouldCatchAStaleTable() {
        assertThatThrownBy(() -> checkTableJoins(new Random(6), true)).isInstanceOf(AssertionError.class);
    }

    private static void checkTableJoins(Random rnd, boolean broken) {
        {
            CollectionSource<Update> updates = CollectionSource.of("updates", List.of());
            CollectionSource<Ev> events = CollectionSource.of("events", List.of());
            CollectingSink<String> inner = CollectingSink.named("inner");
            CollectingSink<String> left = CollectingSink.named("left");
            CollectingSink<String> lookup = CollectingSink.named("lookup");
            StreamJob job = StreamJob.named("enrich");
            Table<String, Update> table = job.source(updates).filter(u -> !broken || !u.value().endsWith("7"))
                    .keyBy(Update::key).toTable();
            KeyedStream<String, Ev> keyed = job.source(events).keyBy(Ev::key);
            keyed.join(table, (e, u) -> e.seq() + ":" + u.value()).to(inner);
            keyed.leftJoin(table, (e, u) -> e.seq() + ":" + (u == null ? "-" : u.value())).to(left);
            keyed.join(LookupTable.of("names", (String k) -> k.equals("k0") ? null : k.toUpperCase()).withMaximumSize(2),
                    (e, name) -> e.key() + "->" + name).to(lookup);
            Map<String, String> current = new HashMap<>();
            List<String> expInner = new ArrayList<>();
            List<String> expLeft = new ArrayList<>();
            List<String> expLookup = new ArrayList<>();
            try (JobTestDriver d = JobTestDriver.of(job)) {
                long seq = 0;
                for (int n = 0; n < 500; n++) {
                    String key = "k" + rnd.nextInt(5);
                    if (rnd.nextInt(3) == 0) {
                        Update u = new Update(key, "v" + n);
                        d.input(updates).send(u, 0);
                        current.put(key, u.value());
                    } else {
                        Ev e = new Ev(key, n, ++seq, 0);
                        d.input(events).send(e, 0);
                        String v = current.get(key);
                        if (v != null) {
                            expInner.add(seq + ":" + v);
                        }
                        expLeft.add(seq + ":" + (v == null ? "-" : v));
                        if (!key.equals("k0")) {
                            expLookup.add(key + "->" + key.toUpperCase());
                        }
                    }
                }
                assertThat(d.output(inner)).isEqualTo(expInner);
                assertThat(d.output(left)).isEqualTo(expLeft);
                assertThat(d.output(lookup)).isEqualTo(expLookup);
            }
        }
    }
}
