package io.runnel.streams.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.runnel.streams.BadDataPolicy;
import io.runnel.streams.TimeDomain;
import io.runnel.streams.internal.checkpoint.CheckpointManifest;
import io.runnel.streams.internal.checkpoint.CheckpointManifest.StateRef;
import io.runnel.streams.internal.checkpoint.CheckpointStorage;
import io.runnel.streams.internal.checkpoint.ManifestCodec;
import io.runnel.streams.internal.checkpoint.StateFileWriter;
import io.runnel.streams.internal.state.KeyGroupFile;
import io.runnel.streams.internal.state.KeyGroups;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keyed state tables against a model (a map of key to value and time of last use): random reads,
 * writes, removals and time-to-live sweeps, checkpoints written with the real storage (state files,
 * manifests, pruning) and crashes after which the newest checkpoint is restored into another
 * parallelism and, at random, the other kind of table (heap or disk). Disk tables run with tiny
 * caches, so nearly every access reads or writes a key-group file, and compact early. Keys include
 * ones with equal hash codes. Now and then the scans ({@code forEach}, {@code forEachWithHash}) are
 * checked against the model too. {@code -Drunnel.test.seeds=N} sets the number of runs, {@code -Dseed=S}
 * repeats one.
 */
class StateTableTest {

    private static final long TTL_MS = 50;

    @TempDir
    Path dir;

    /** One task's table of the job under test. */
    private static final class Tasklet {
        final TaskContext ctx;
        final KeyedStateful.DirtyGroups dirty = new KeyedStateful.DirtyGroups();
        final StateTable table;
        final Map<Integer, StateRef> refs = new HashMap<>();

        Tasklet(CheckpointStorage storage, int task, int parallelism, long cacheEntries, boolean ttl) {
            ctx = new TaskContext("job", 1, task, parallelism, Clock.systemUTC(), BadDataPolicy.FAIL);
            ctx.setStateStore(storage, cacheEntries);
            if (ctx.stateCache() != null) {
                ctx.stateCache().setCompactionSlackRecords(4);
            }
            table = StateTable.create(ctx, "op:with/odd#chars", "state", ttl ? TTL_MS : 0, dirty);
        }

        boolean onDisk() {
            return ctx.stateCache() != null;
        }

        void close() {
            if (ctx.stateCache() != null) {
                ctx.stateCache().close();
            }
        }
    }

    private record Timed(Object value, long touchedMs) {
    }

    private static final class Model {
        final Map<String, Timed> entries = new HashMap<>();
        final boolean ttl;

        Model(boolean ttl) {
            this.ttl = ttl;
        }

        Object get(String key, long now) {
            Timed t = entries.get(key);
            if (t == null) {
                return null;
            }
            if (ttl && now - t.touchedMs >= TTL_MS) {
                entries.remove(key);
                return null;
            }
            if (ttl) {
                entries.put(key, new Timed(t.value, now));
            }
            return t.value;
        }

        void put(String key, Object value, long now) {
            if (value == null) {
                entries.remove(key);
            } else {
                entries.put(key, new Timed(value, now));
            }
        }

        void expire(long now) {
            if (ttl) {
                entries.values().removeIf(t -> now - t.touchedMs >= TTL_MS);
            }
        }
    }

    private boolean broken;
    private long highestGeneration;

    @Test
    void shouldMatchTheModelThroughCheckpointsCrashesRescalesAndModeSwitches() throws Exception {
        long seed = seed("state tables");
        for (int run = 0; run < Integer.getInteger("runnel.test.seeds", 3); run++) {
            Random rnd = new Random(seed + run);
            runOnce(rnd, dir.resolve("run" + run), run % 2 == 0);
        }
        assertThat(highestGeneration).as("key-group files were compacted").isGreaterThan(1);
    }

    @Test
    void modelShouldCatchACacheThatLosesEvictedChanges() {
        broken = true;
        long seed = seed("state tables, broken cache");
        assertThatThrownBy(() -> runOnce(new Random(seed), dir.resolve("broken"), false)).isInstanceOf(AssertionError.class)
                .hasMessageMatching("(?s).*(get|forEach).*");
    }

    /**
     * A value changed in place and handed back with {@link StateTable#changed} (as the window, session
     * and join operators do) is part of the next checkpoint, on the heap (which only marks its key
     * group) and on disk (which writes it).
     */
    @Test
    void shouldCheckpointAValueChangedInPlace() {
        for (long cacheEntries : new long[] {0, 1}) { // 0: heap; 1: disk with one cached entry
            Path root = dir.resolve("changed-" + cacheEntries);
            CheckpointStorage storage = new CheckpointStorage(root, (s, id) -> { });
            Tasklet task = new Tasklet(storage, 0, 1, cacheEntries, false);
            assertThat(task.onDisk()).isEqualTo(cacheEntries > 0);
            task.table.put("a", KeyGroups.of("a"), new ArrayList<>(List.of(1)), 0);
            task.table.put("b", KeyGroups.of("b"), new ArrayList<>(List.of(2)), 0);
            checkpoint(storage, List.of(task), 1, 1);
            assertThat(task.dirty.isMarked(KeyGroups.of("a"))).isFalse();

            @SuppressWarnings("unchecked")
            List<Integer> a = (List<Integer>) task.table.get("a", KeyGroups.of("a"), 0);
            a.add(3);
            task.table.changed("a", KeyGroups.of("a"), a, 0);
            assertThat(task.dirty.isMarked(KeyGroups.of("a"))).as("changed marks the key group").isTrue();
            checkpoint(storage, List.of(task), 2, 1);
            task.close();

            Tasklet again = new Tasklet(storage, 0, 1, cacheEntries, false);
            restore(storage, storage.loadLatest().orElseThrow(), List.of(again), 0);
            assertThat(again.table.get("a", KeyGroups.of("a"), 0)).as("cache %d", cacheEntries).isEqualTo(List.of(1, 3));
            assertThat(again.table.get("b", KeyGroups.of("b"), 0)).isEqualTo(List.of(2));
            again.close();
        }
    }

    @Test
    void shouldRefuseToRestoreADamagedKeyGroupFile() throws Exception {
        CheckpointStorage storage = new CheckpointStorage(dir, (s, id) -> { });
        List<Tasklet> tasks = List.of(new Tasklet(storage, 0, 1, 2, false));
        Random rnd = new Random(7);
        for (int i = 0; i < 2000; i++) {
            String key = "k" + rnd.nextInt(500);
            tasks.get(0).table.put(key, KeyGroups.of(key), (long) i, 0);
        }
        checkpoint(storage, tasks, 1, 1);
        tasks.get(0).close();
        CheckpointManifest m = storage.loadLatest().orElseThrow();
        Path file = storage.storePath(m.storeFiles().keySet().iterator().next());
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(file, bytes);
        List<Tasklet> again = List.of(new Tasklet(storage, 0, 1, 2, false));
        assertThatThrownBy(() -> restore(storage, m, again, 0)).hasMessageMatching("(?s).*(fails its CRC|bad length|unknown record kind).*");
    }

    /**
     * An enum's hashCode is its identity, another in the next JVM: a key-group file stores an enum key
     * under its name's hash, which the index of a restore in any JVM finds again.
     */
    @Test
    void shouldStoreEnumKeysUnderTheHashOfTheirName() {
        CheckpointStorage storage = new CheckpointStorage(dir, (s, id) -> { });
        Tasklet task = new Tasklet(storage, 0, 1, 1, false);
        for (TimeDomain d : TimeDomain.values()) {
            task.table.put(d, KeyGroups.of(d), d.name(), 0);
        }
        checkpoint(storage, List.of(task), 1, 1);
        task.close();
        CheckpointManifest m = storage.loadLatest().orElseThrow();
        List<Integer> stored = new ArrayList<>();
        m.storeFiles().forEach((name, length) -> {
            try (KeyGroupFile f = KeyGroupFile.openReadOnly(storage.storePath(name), length)) {
                f.scan(r -> stored.add(r.hash()));
            }
        });
        assertThat(stored).containsExactlyInAnyOrder(Stream.of(TimeDomain.values()).map(d -> d.name().hashCode()).toArray(Integer[]::new));
    }

    private static long seed(String what) {
        String s = System.getProperty("seed");
        long seed = s != null ? Long.parseLong(s) : new Random().nextLong();
        System.out.println(what + ": seed=" + seed + " (rerun with -Dseed=" + seed + ")");
        return seed;
    }

    private static String key(Random rnd) {
        if (rnd.nextInt(8) == 0) {
            // "Aa" and "BB" have the same hashCode: so do all strings made of them
            StringBuilder b = new StringBuilder("c");
            for (int i = 0; i < 3; i++) {
                b.append(rnd.nextBoolean() ? "Aa" : "BB");
            }
            return b.toString();
        }
        return "k" + rnd.nextInt(400);
    }

    private static Object value(Random rnd) {
        return switch (rnd.nextInt(10)) {
            case 0 -> "big-" + "x".repeat(20_000 + rnd.nextInt(5000)); // beyond a file's write buffer
            case 1, 2 -> List.of(rnd.nextInt(100), "v" + rnd.nextInt(1000));
            default -> (long) rnd.nextInt(1_000_000);
        };
    }

    private void runOnce(Random rnd, Path stateDir, boolean ttl) throws IOException {
        CheckpointStorage storage = new CheckpointStorage(stateDir, (s, id) -> { });
        Model model = new Model(ttl);
        Model atCheckpoint = null;
        long now = 1_000_000;
        int parallelism = 1 + rnd.nextInt(3);
        List<Tasklet> tasks = open(storage, parallelism, rnd, ttl);
        long checkpointId = 0;
        for (int phase = 0; phase < 6; phase++) {
            for (int op = 0; op < 1500; op++) {
                String key = key(rnd);
                int group = KeyGroups.of(key);
                Tasklet owner = tasks.get(KeyGroups.owner(group, parallelism));
                int what = rnd.nextInt(100);
                if (rnd.nextInt(50) == 0) {
                    checkScans(owner, model, key, group);
                }
                if (what < 45) {
                    assertThat(owner.table.get(key, group, now)).as("get %s at op %s of phase %s", key, op, phase)
                            .isEqualTo(model.get(key, now));
                } else if (what < 85) {
                    Object v = value(rnd);
                    owner.table.put(key, group, v, now);
                    model.put(key, v, now);
                } else if (what < 95) {
                    owner.table.put(key, group, null, now);
                    model.put(key, null, now);
                } else if (what < 98 || rnd.nextInt(4) != 0) {
                    for (Tasklet t : tasks) {
                        t.table.expire(now);
                    }
                    model.expire(now);
                } else {
                    checkpointId++;
                    checkpoint(storage, tasks, checkpointId, parallelism);
                    atCheckpoint = copy(model);
                    noteGenerations(stateDir); // a later switch to the heap may leave no compacted file at the end
                }
                now += rnd.nextInt(3);
            }
            // crash: the tasks stop without a word, their files keep what they appended since
            for (Tasklet t : tasks) {
                t.close();
            }
            CheckpointStorage reopened = new CheckpointStorage(stateDir, (s, id) -> { });
            CheckpointManifest m = reopened.loadLatest().orElse(null);
            assertThat(m == null ? 0 : m.id()).isEqualTo(checkpointId);
            reopened.cleanupAfterRestore(checkpointId);
            parallelism = 1 + rnd.nextInt(3);
            tasks = open(reopened, parallelism, rnd, ttl);
            model = atCheckpoint == null ? new Model(ttl) : copy(atCheckpoint);
            if (m != null) {
                restore(reopened, m, tasks, now);
            }
            storage = reopened;
            for (String key : new ArrayList<>(model.entries.keySet())) {
                int group = KeyGroups.of(key);
                Tasklet owner = tasks.get(KeyGroups.owner(group, parallelism));
                assertThat(owner.table.get(key, group, now)).as("after restoring checkpoint %s: %s", checkpointId, key)
                        .isEqualTo(model.get(key, now));
            }
        }
        for (Tasklet t : tasks) {
            t.close();
        }
        assertOnlyReferencedFilesRemain(stateDir);
    }

    /** forEach over the owner's groups, and forEachWithHash for {@code key}'s hash, see the model's entries (times aside). */
    private static void checkScans(Tasklet owner, Model model, String key, int group) {
        java.util.BitSet groups = new java.util.BitSet();
        groups.set(owner.ctx.keyGroupStart, owner.ctx.keyGroupEnd);
        Map<Object, Object> seen = new HashMap<>();
        owner.table.forEach(groups, (k, g, v) -> {
            assertThat(g).as("group of %s", k).isEqualTo(KeyGroups.of(k));
            assertThat(seen.put(k, v)).as("forEach visits %s once", k).isNull();
        });
        Map<Object, Object> expected = new HashMap<>();
        model.entries.forEach((k, t) -> {
            if (groups.get(KeyGroups.of(k))) {
                expected.put(k, t.value());
            }
        });
        assertThat(seen).as("forEach, disk %s, ttl %s", owner.onDisk(), model.ttl).isEqualTo(expected);
        if (owner.table.findsByHash()) {
            Map<Object, Object> withHash = new HashMap<>();
            owner.table.forEachWithHash(group, KeyGroups.hash(key), (k, g, v) -> withHash.put(k, v));
            expected.keySet().removeIf(k -> KeyGroups.of(k) != group || KeyGroups.hash(k) != KeyGroups.hash(key));
            assertThat(withHash).as("forEachWithHash(%s)", key).isEqualTo(expected);
        }
    }

    private static Model copy(Model m) {
        Model c = new Model(m.ttl);
        c.entries.putAll(m.entries);
        return c;
    }

    private List<Tasklet> open(CheckpointStorage storage, int parallelism, Random rnd, boolean ttl) {
        long cache = switch (rnd.nextInt(3)) {
            case 0 -> 0;                 // heap
            case 1 -> 1 + rnd.nextInt(3); // nearly everything in files
            default -> 20 + rnd.nextInt(50);
        };
        List<Tasklet> tasks = new ArrayList<>();
        for (int t = 0; t < parallelism; t++) {
            Tasklet task = new Tasklet(storage, t, parallelism, broken ? 3 : cache, ttl);
            if (broken) {
                task.ctx.stateCache().loseEvictedChangesForTests();
            }
            tasks.add(task);
        }
        return tasks;
    }

    /** What Task.checkpoint and JobRuntime.complete do for state. */
    private static void checkpoint(CheckpointStorage storage, List<Tasklet> tasks, long id, int parallelism) {
        Map<Integer, StateRef> all = new TreeMap<>();
        Map<String, Long> files = new TreeMap<>();
        for (Tasklet t : tasks) {
            StateCache cache = t.ctx.stateCache();
            if (cache != null) {
                cache.prepareSnapshot();
            }
            try (StateFileWriter w = storage.newStateFile(id, t.ctx.globalTask)) {
                for (int g = t.ctx.keyGroupStart; g < t.ctx.keyGroupEnd; g++) {
                    if (!t.dirty.isMarked(g)) {
                        continue;
                    }
                    if (t.table.isEmpty(g)) {
                        t.refs.remove(g);
                    } else {
                        Output out = t.ctx.codec().begin();
                        out.writeBoolean(t.table.hasTtl());
                        t.table.snapshot(g, t.ctx.codec().kryo(), out);
                        t.refs.put(g, w.append(t.ctx.codec().finish()));
                    }
                }
            }
            t.dirty.clear();
            all.putAll(t.refs);
            if (cache != null) {
                cache.referencedFiles(files);
                cache.takeDurability().force();
            }
        }
        storage.forceStateDir(id);
        storage.writeManifest(new CheckpointManifest(id, "job", id, parallelism, Map.of(), Map.of(), Map.of("op", all), files));
        storage.prune(id);
    }

    private static void restore(CheckpointStorage storage, CheckpointManifest m, List<Tasklet> tasks, long now) {
        for (Tasklet t : tasks) {
            for (Map.Entry<Integer, StateRef> e : m.state().getOrDefault("op", Map.of()).entrySet()) {
                int g = e.getKey();
                if (g >= t.ctx.keyGroupStart && g < t.ctx.keyGroupEnd) {
                    Input in = new Input(storage.read(e.getValue()));
                    boolean withTimes = in.readBoolean();
                    t.table.restore(g, t.ctx.codec().kryo(), in, withTimes, now);
                    t.refs.put(g, e.getValue());
                }
            }
        }
    }

    /** After pruning, only files of the newest two checkpoints are left, plus what the tasks wrote since. */
    private void assertOnlyReferencedFilesRemain(Path stateDir) throws IOException {
        CheckpointStorage s = new CheckpointStorage(stateDir, (st, id) -> { });
        s.cleanupAfterRestore(s.loadLatest().map(CheckpointManifest::id).orElse(0L));
        Set<String> referenced = new HashSet<>();
        for (long id : s.manifestIds()) {
            CheckpointManifest m = ManifestCodec.decode(Files.readAllBytes(
                    stateDir.resolve("checkpoints").resolve(String.format("checkpoint-%020d", id))));
            referenced.addAll(m.storeFiles().keySet());
        }
        try (Stream<Path> files = Files.walk(stateDir.resolve("store"))) {
            List<Path> present = files.filter(Files::isRegularFile).toList();
            assertThat(present).allSatisfy(p -> assertThat(referenced).contains(s.relativeName(p)));
        }
        noteGenerations(stateDir);
    }

    /** Remembers the highest generation of the key-group files present (above 1: one was compacted). */
    private void noteGenerations(Path stateDir) throws IOException {
        Path store = stateDir.resolve("store");
        if (!Files.isDirectory(store)) {
            return;
        }
        try (Stream<Path> files = Files.walk(store)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                highestGeneration = Math.max(highestGeneration, CheckpointStorage.storeFileGeneration(p));
            }
        }
    }

    @Test
    void shouldRefuseAReferenceOutsideTheStoreDirectory() {
        CheckpointStorage storage = new CheckpointStorage(dir, (s, id) -> { });
        assertThatThrownBy(() -> storage.storePath("../../etc/passwd")).hasMessageContaining("no key-group file");
        assertThatThrownBy(() -> storage.storePath("state/00000000000000000001-0000.state")).hasMessageContaining("no key-group file");
    }
}
