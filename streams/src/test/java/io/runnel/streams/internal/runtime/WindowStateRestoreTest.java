package io.runnel.streams.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.streams.Aggregator;
import io.runnel.streams.BadDataPolicy;
import io.runnel.streams.WindowResult;
import io.runnel.streams.Windows;
import io.runnel.streams.internal.checkpoint.CheckpointStorage;
import io.runnel.streams.internal.state.KeyGroups;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Window and session state snapshotted halfway through random input (with allowed lateness, so
 * fired windows get late updates after the restore) and restored into operators of another
 * parallelism, on the heap or on disk behind a cache of 3 entries: every key's results, before and
 * after the restore, are those of one uninterrupted run on the heap.
 */
class WindowStateRestoreTest {

    private static final long BOUND = 100;

    @TempDir
    Path dir;

    record Event(String key, long ts) {
    }

    @ParameterizedTest(name = "{0}: {1} state, then {2} tasks with {3} state")
    @CsvSource({
        "tumbling, heap, 3, disk", "tumbling, disk, 2, heap", "tumbling, disk, 3, disk",
        "hopping, heap, 2, disk", "hopping, disk, 3, disk",
        "session, heap, 3, disk", "session, disk, 2, heap", "session, disk, 3, disk"})
    void shouldGiveEveryKeyTheUninterruptedResultsAfterARestore(String kind, String before, int parallelism, String after) {
        for (int seed = 0; seed < 5; seed++) {
            Random rnd = new Random(seed);
            List<Event> events = events(rnd);
            Windows w = windows(kind);
            int half = events.size() / 2;
            Map<String, List<Object>> expected = perKey(run(w, events, 0, events.size(), dir.resolve("expected"), false, 1, false, null));
            Path state = dir.resolve(kind + "-" + before + "-" + parallelism + "-" + after + "-" + seed);
            Map<Integer, byte[]> blobs = new HashMap<>();
            List<Object> out = run(w, events, 0, half, state, before.equals("disk"), 1, false, blobs);
            out.addAll(run(w, events, half, events.size(), state, after.equals("disk"), parallelism, true, blobs));
            assertThat(perKey(out)).as("results per key, seed %s", seed).isEqualTo(expected);
        }
    }

    /** The check catches a restore that loses a key group. */
    @Test
    void checkShouldCatchARestoreThatLosesAKeyGroup() {
        Random rnd = new Random(1);
        List<Event> events = events(rnd);
        Windows w = windows("session");
        int half = events.size() / 2;
        Map<String, List<Object>> expected = perKey(run(w, events, 0, events.size(), dir.resolve("expected"), false, 1, false, null));
        Map<Integer, byte[]> blobs = new HashMap<>();
        List<Object> out = run(w, events, 0, half, dir.resolve("broken"), false, 1, false, blobs);
        // the group with the most state (on disk: the longest file)
        blobs.remove(blobs.entrySet().stream().max(Map.Entry.comparingByValue(java.util.Comparator.comparingInt(v -> v.length)))
                .orElseThrow().getKey());
        out.addAll(run(w, events, half, events.size(), dir.resolve("broken"), false, 3, true, blobs));
        assertThatThrownBy(() -> assertThat(perKey(out)).as("results per key").isEqualTo(expected))
                .isInstanceOf(AssertionError.class).hasMessageContaining("results per key");
    }

    private static List<Event> events(Random rnd) {
        List<Event> out = new ArrayList<>();
        // a few far behind the bound: late events, and late updates of fired windows
        for (long ts : Snapshots.times(rnd, 3000, 12, BOUND, 300)) {
            out.add(new Event("k" + rnd.nextInt(40), ts));
        }
        return out;
    }

    private static Windows windows(String kind) {
        Windows w = switch (kind) {
            case "tumbling" -> Windows.tumbling(Duration.ofMillis(200));
            case "hopping" -> Windows.hopping(Duration.ofMillis(300), Duration.ofMillis(100));
            default -> Windows.session(Duration.ofMillis(100));
        };
        return w.withAllowedLateness(Duration.ofMillis(150));
    }

    @SuppressWarnings("unchecked") // the operators see events and long[] accumulators as objects
    private static Aggregator<Object, Object, Object> count() {
        Aggregator<Object, long[], Long> a = Aggregator.of(() -> new long[1], (acc, e) -> {
            acc[0]++;
            return acc;
        }, (x, y) -> {
            x[0] += y[0];
            return x;
        }, acc -> acc[0]);
        return (Aggregator<Object, Object, Object>) (Aggregator<?, ?, ?>) a;
    }

    /**
     * Runs events {@code from..to} through {@code parallelism} operators with state directory
     * {@code stateDir}, the state in files there if {@code disk}. {@code restore}: the operators first
     * read {@code blobs} and the watermark they had; otherwise, unless {@code blobs} is null, they
     * write their state there at the end (and do not end their input).
     */
    private List<Object> run(Windows w, List<Event> events, int from, int to, Path stateDir, boolean disk, int parallelism,
                             boolean restore, Map<Integer, byte[]> blobs) {
        List<Object> out = new ArrayList<>();
        List<WindowOperator> tasks = open(w, stateDir, disk, parallelism, out, restore ? blobs : null);
        if (restore) {
            long w0 = Long.MIN_VALUE;
            for (int i = 0; i < from; i++) {
                w0 = Math.max(w0, events.get(i).ts() - BOUND);
            }
            for (WindowOperator op : tasks) {
                op.watermark(w0);
            }
        }
        feed(tasks, events, from, to, parallelism);
        if (blobs != null && !restore) {
            Snapshots.take(tasks.get(0), tasks.get(0).ctx, blobs);
        } else {
            for (WindowOperator op : tasks) {
                op.watermark(Long.MAX_VALUE);
            }
        }
        for (WindowOperator op : tasks) {
            op.ctx.closeStateStore();
        }
        return out;
    }

    private static List<WindowOperator> open(Windows w, Path stateDir, boolean disk, int parallelism, List<Object> out,
                                             Map<Integer, byte[]> blobs) {
        CheckpointStorage storage = new CheckpointStorage(stateDir, (s, id) -> { });
        List<WindowOperator> tasks = new ArrayList<>();
        for (int t = 0; t < parallelism; t++) {
            TaskContext ctx = new TaskContext("job", 1, t, parallelism, Clock.systemUTC(), BadDataPolicy.FAIL);
            ctx.setStateStore(storage, disk ? 3 : 0);
            WindowOperator op = w.kind() == Windows.Kind.SESSION ? new SessionWindowOperator("windows", w, count())
                    : new AlignedWindowOperator("windows", w, count());
            op.setOutput(collector(out));
            op.setSideOutput(0, collector(new ArrayList<>()));
            op.open(ctx);
            if (blobs != null) {
                Snapshots.restore(op, ctx, blobs);
            }
            tasks.add(op);
        }
        return tasks;
    }

    /** Each event to the task owning its key, then the watermark (the highest time so far minus the bound) to every task. */
    private static void feed(List<WindowOperator> tasks, List<Event> events, int from, int to, int parallelism) {
        long max = Long.MIN_VALUE;
        for (int i = 0; i < to; i++) {
            Event e = events.get(i);
            max = Math.max(max, e.ts());
            if (i < from) {
                continue;
            }
            int group = KeyGroups.of(e.key());
            WindowOperator owner = tasks.get(KeyGroups.owner(group, parallelism));
            owner.ctx.keys.set(e.key(), group);
            owner.record(e, e.ts());
            for (WindowOperator op : tasks) {
                op.watermark(max - BOUND);
            }
        }
    }

    private static Collector collector(List<Object> out) {
        return new Collector() {
            @Override public void record(Object value, long timestampMs) { out.add(value); }
            @Override public void watermark(long watermarkMs) { }
            @Override public void idle(boolean idle) { }
        };
    }

    private static Map<String, List<Object>> perKey(List<Object> results) {
        Map<String, List<Object>> m = new TreeMap<>();
        for (Object o : results) {
            WindowResult<?, ?> r = (WindowResult<?, ?>) o;
            m.computeIfAbsent((String) r.key(), k -> new ArrayList<>()).add(r);
        }
        return m;
    }
}
