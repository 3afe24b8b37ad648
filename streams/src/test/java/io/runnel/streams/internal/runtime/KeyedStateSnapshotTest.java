package io.runnel.streams.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.runnel.streams.BadDataPolicy;
import io.runnel.streams.internal.state.KeyGroups;
import io.runnel.streams.internal.state.KryoCodec;
import io.runnel.streams.internal.checkpoint.CheckpointStorage;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A table join's state written by key group and read back into operators of another parallelism:
 * every key keeps its latest value, and a group not restored holds nothing.
 */
class KeyedStateSnapshotTest {

    @TempDir
    Path dir;

    /** The state directory of tables kept on disk, or null for tables on the heap. */
    private CheckpointStorage storage;

    private TableJoinOperator open(List<Object> out, int task, int parallelism) {
        TaskContext ctx = new TaskContext("job", 1, task, parallelism, Clock.systemUTC(), BadDataPolicy.FAIL);
        // on disk: a cache of 7 entries for 300 keys
        ctx.setStateStore(storage, storage == null ? 0 : 7);
        TableJoinOperator op = new TableJoinOperator("table", (e, v) -> e + "=" + v, false, 0);
        op.setOutput(new Collector() {
            @Override public void record(Object value, long timestampMs) { out.add(value); }
            @Override public void watermark(long watermarkMs) { }
            @Override public void idle(boolean idle) { }
        });
        op.open(ctx);
        return op;
    }

    private static void send(TableJoinOperator op, int input, String key, Object value) {
        op.ctx.keys.set(key, KeyGroups.of(key));
        op.input(input).record(value, 0);
    }

    @Test
    void shouldRestoreTableStateByKeyGroupIntoAnyParallelism() {
        restoreIntoAnyParallelism();
    }

    @Test
    void shouldRestoreTableStateKeptOnDiskByKeyGroupIntoAnyParallelism() {
        storage = new CheckpointStorage(dir, (s, id) -> { });
        restoreIntoAnyParallelism();
    }

    private void restoreIntoAnyParallelism() {
        Random rnd = new Random(42);
        TableJoinOperator source = open(new ArrayList<>(), 0, 1);
        Map<String, Integer> latest = new HashMap<>();
        for (int i = 0; i < 5000; i++) {
            String key = "k" + rnd.nextInt(300);
            send(source, 1, key, i);
            latest.put(key, i);
        }
        KryoCodec codec = new KryoCodec();
        Map<Integer, byte[]> blobs = new HashMap<>();
        if (source.ctx.stateCache() != null) {
            source.ctx.stateCache().prepareSnapshot();
        }
        for (int g = 0; g < KeyGroups.COUNT; g++) {
            assertThat(source.isDirty(g) || !source.snapshot(g, codec.kryo(), codec.begin())).isTrue();
            Output out = codec.begin();
            if (source.snapshot(g, codec.kryo(), out)) {
                blobs.put(g, codec.finish());
            }
        }
        source.clearDirty();
        for (int parallelism : new int[] {1, 2, 3, 7}) {
            List<Object> joined = new ArrayList<>();
            List<TableJoinOperator> tasks = new ArrayList<>();
            for (int t = 0; t < parallelism; t++) {
                TableJoinOperator op = open(joined, t, parallelism);
                for (int g = op.ctx.keyGroupStart; g < op.ctx.keyGroupEnd; g++) {
                    if (blobs.containsKey(g)) {
                        op.restore(g, codec.kryo(), new Input(blobs.get(g)));
                    }
                }
                tasks.add(op);
            }
            List<Object> expected = new ArrayList<>();
            for (String key : latest.keySet()) {
                TableJoinOperator owner = tasks.get(KeyGroups.owner(KeyGroups.of(key), parallelism));
                send(owner, 0, key, "e-" + key);
                expected.add("e-" + key + "=" + latest.get(key));
                // a task that does not own the key's group has no value for it
                TableJoinOperator other = tasks.get((KeyGroups.owner(KeyGroups.of(key), parallelism) + 1) % parallelism);
                if (other != owner) {
                    int before = joined.size();
                    send(other, 0, key, "stray");
                    assertThat(joined).hasSize(before);
                }
            }
            assertThat(joined).as("parallelism %s", parallelism).containsExactlyInAnyOrderElementsOf(expected);
        }
    }
}
