package io.runnel.streams.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.streams.BadDataPolicy;
import io.runnel.streams.internal.checkpoint.CheckpointStorage;
import io.runnel.streams.internal.state.KeyGroups;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A stream-stream join's buffers snapshotted halfway through random input and restored into
 * operators of another parallelism, on the heap or on disk behind a cache of 2 entries (6 keys): the pairs,
 * before and after the restore, are those of one uninterrupted run on the heap.
 */
class JoinStateRestoreTest {

    private static final long BOUND = 40;
    private static final long WITHIN = 40;
    private static final long LATENESS = 20;

    @TempDir
    Path dir;

    record Side(boolean left, String key, long ts, int id) {
    }

    @ParameterizedTest(name = "{0} state, then {1} tasks with {2} state")
    @CsvSource({"heap, 3, disk", "disk, 2, heap", "disk, 3, disk"})
    void shouldJoinEveryPairAsAnUninterruptedRunDoes(String before, int parallelism, String after) {
        for (int seed = 0; seed < 5; seed++) {
            List<Side> events = events(new Random(seed));
            int half = events.size() / 2;
            List<String> expected = run(events, 0, events.size(), dir.resolve("expected"), false, 1, false, null);
            Path state = dir.resolve(before + "-" + parallelism + "-" + after + "-" + seed);
            Map<Integer, byte[]> blobs = new HashMap<>();
            List<String> out = run(events, 0, half, state, before.equals("disk"), 1, false, blobs);
            out.addAll(run(events, half, events.size(), state, after.equals("disk"), parallelism, true, blobs));
            out.sort(Comparator.naturalOrder());
            assertThat(out).as("pairs, seed %s", seed).isEqualTo(expected);
        }
    }

    /** The check catches a restore that loses a key group. */
    @Test
    void checkShouldCatchARestoreThatLosesAKeyGroup() {
        List<Side> events = events(new Random(1));
        int half = events.size() / 2;
        List<String> expected = run(events, 0, events.size(), dir.resolve("expected"), false, 1, false, null);
        Map<Integer, byte[]> blobs = new HashMap<>();
        List<String> out = run(events, 0, half, dir.resolve("broken"), false, 1, false, blobs);
        blobs.remove(blobs.entrySet().stream().max(Map.Entry.comparingByValue(Comparator.comparingInt(v -> v.length))).orElseThrow().getKey());
        out.addAll(run(events, half, events.size(), dir.resolve("broken"), false, 3, true, blobs));
        out.sort(Comparator.naturalOrder());
        assertThatThrownBy(() -> assertThat(out).as("pairs").isEqualTo(expected)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("pairs");
    }

    private static List<Side> events(Random rnd) {
        List<Side> out = new ArrayList<>();
        long[] times = Snapshots.times(rnd, 2000, 6, BOUND, 150);
        for (int i = 0; i < times.length; i++) {
            out.add(new Side(rnd.nextBoolean(), "k" + rnd.nextInt(6), times[i], i));
        }
        return out;
    }

    /**
     * Runs events {@code from..to} through {@code parallelism} join operators with state directory
     * {@code stateDir}, the buffers in files there if {@code disk}; returns the sorted pairs.
     * {@code restore}: the operators first read {@code blobs} and the watermarks they had; otherwise,
     * unless {@code blobs} is null, they write their state there at the end (and do not end their input).
     */
    private static List<String> run(List<Side> events, int from, int to, Path stateDir, boolean disk, int parallelism, boolean restore,
                                    Map<Integer, byte[]> blobs) {
        List<String> out = new ArrayList<>();
        CheckpointStorage storage = new CheckpointStorage(stateDir, (s, id) -> { });
        List<IntervalJoinOperator> tasks = new ArrayList<>();
        for (int t = 0; t < parallelism; t++) {
            TaskContext ctx = new TaskContext("job", 1, t, parallelism, Clock.systemUTC(), BadDataPolicy.FAIL);
            ctx.setStateStore(storage, disk ? 2 : 0);
            IntervalJoinOperator op = new IntervalJoinOperator("join", WITHIN, LATENESS, (l, r) -> ((Side) l).id() + ":" + ((Side) r).id());
            op.setOutput(collector(out));
            op.setSideOutput(0, collector(new ArrayList<>()));
            op.setSideOutput(1, collector(new ArrayList<>()));
            op.open(ctx);
            if (restore) {
                Snapshots.restore(op, ctx, blobs);
            }
            tasks.add(op);
        }
        long[] max = {Long.MIN_VALUE, Long.MIN_VALUE};
        for (int i = 0; i < to; i++) {
            Side e = events.get(i);
            int input = e.left() ? 0 : 1;
            if (i >= from) {
                int group = KeyGroups.of(e.key());
                IntervalJoinOperator owner = tasks.get(KeyGroups.owner(group, parallelism));
                owner.ctx.keys.set(e.key(), group);
                owner.input(input).record(e, e.ts());
            }
            max[input] = Math.max(max[input], e.ts());
            if (i >= from || (restore && i == from - 1)) {
                for (IntervalJoinOperator op : tasks) {
                    for (int k = 0; k < 2; k++) {
                        if (max[k] != Long.MIN_VALUE) {
                            op.input(k).watermark(max[k] - BOUND);
                        }
                    }
                }
            }
        }
        if (blobs != null && !restore) {
            Snapshots.take(tasks.get(0), tasks.get(0).ctx, blobs);
        } else {
            for (IntervalJoinOperator op : tasks) {
                op.input(0).watermark(Long.MAX_VALUE);
                op.input(1).watermark(Long.MAX_VALUE);
            }
        }
        for (IntervalJoinOperator op : tasks) {
            op.ctx.closeStateStore();
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    private static Collector collector(List<? super String> out) {
        return new Collector() {
            @Override public void record(Object value, long timestampMs) {
                if (value instanceof String s) {
                    out.add(s);
                }
            }
            @Override public void watermark(long watermarkMs) { }
            @Override public void idle(boolean idle) { }
        };
    }
}
