package io.runnel.streams.internal.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.streams.internal.checkpoint.CheckpointManifest.Committable;
import io.runnel.streams.internal.checkpoint.CheckpointManifest.SplitPosition;
import io.runnel.streams.internal.checkpoint.CheckpointManifest.StateRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Atomic checkpoints: a crash at every step of writing one leaves a loadable complete checkpoint
 * (the new one or the previous one), damaged manifests and missing state fall back, and the
 * completeness check catches a writer that is not atomic.
 */
class CheckpointStorageTest {

    @TempDir
    Path dir;

    static final class SimulatedCrash extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    /** Writes checkpoint {@code id} with a few state blobs the way the runtime does. */
    static CheckpointManifest write(CheckpointStorage s, long id, Random rnd) {
        Map<String, Map<Integer, StateRef>> state = new TreeMap<>();
        for (int task = 0; task < 2; task++) {
            try (StateFileWriter w = s.newStateFile(id, task)) {
                Map<Integer, StateRef> refs = state.computeIfAbsent("op", k -> new TreeMap<>());
                for (int g = task * 64; g < task * 64 + 5; g++) {
                    byte[] blob = new byte[1 + rnd.nextInt(200)];
                    rnd.nextBytes(blob);
                    refs.put(g, w.append(blob));
                }
            }
        }
        CheckpointManifest m = new CheckpointManifest(id, "job", 1000 + id, 2,
                Map.of("src", List.of(new SplitPosition("0", new byte[] {(byte) id}, false))),
                Map.of("sink", List.of(new Committable(0, ("staged-" + id).getBytes()))), state);
        s.forceStateDir(id);
        s.writeManifest(m);
        s.prune(id);
        return m;
    }

    /** The check every restart must pass: the loaded checkpoint is one that was completely written, with every blob intact. */
    static void assertComplete(Path dir, Map<Long, CheckpointManifest> written) {
        Optional<CheckpointManifest> loaded = new CheckpointStorage(dir, (st, id) -> { }).loadLatest();
        assertThat(loaded).as("a complete checkpoint").isPresent();
        CheckpointManifest m = loaded.get();
        CheckpointManifest expected = written.get(m.id());
        assertThat(expected).as("checkpoint %s was written completely", m.id()).isNotNull();
        assertThat(Arrays.equals(ManifestCodec.encode(m), ManifestCodec.encode(expected))).as("same content").isTrue();
        CheckpointStorage s = new CheckpointStorage(dir, (st, id) -> { });
        m.state().values().forEach(refs -> refs.values().forEach(s::read));
    }

    @Test
    void shouldLoadACompleteCheckpointAfterACrashAtEveryStep() throws IOException {
        for (CheckpointStorage.Step step : CheckpointStorage.Step.values()) {
            Path d = Files.createDirectory(dir.resolve(step.name()));
            Random rnd = new Random(step.ordinal());
            Map<Long, CheckpointManifest> written = new HashMap<>();
            CheckpointStorage ok = new CheckpointStorage(d, (st, id) -> { });
            written.put(1L, write(ok, 1, rnd));
            written.put(2L, write(ok, 2, rnd));
            CheckpointStorage crashing = new CheckpointStorage(d, (st, id) -> {
                if (st == step && id == 3) {
                    throw new SimulatedCrash();
                }
            });
            CheckpointManifest third = null;
            try {
                third = write(crashing, 3, rnd);
            } catch (SimulatedCrash expected) {
                // the process "died" here; what is on disk stays as it is
            }
            if (step.ordinal() >= CheckpointStorage.Step.MANIFEST_RENAMED.ordinal() || third != null) {
                // renamed: checkpoint 3 is complete (its content is what write() built before crashing)
                written.put(3L, new CheckpointStorage(d, (st, id) -> { }).loadLatest().orElseThrow());
                assertThat(new CheckpointStorage(d, (st, id) -> { }).loadLatest().orElseThrow().id()).isEqualTo(3);
            } else {
                assertThat(new CheckpointStorage(d, (st, id) -> { }).loadLatest().orElseThrow().id()).as("crash at %s", step).isEqualTo(2);
            }
            assertComplete(d, written);
            // a restart cleans up the incomplete checkpoint's files and carries on
            CheckpointStorage after = new CheckpointStorage(d, (st, id) -> { });
            long restored = after.loadLatest().orElseThrow().id();
            after.cleanupAfterRestore(restored);
            written.put(restored + 1, write(after, restored + 1, rnd));
            assertComplete(d, written);
        }
    }

    @Test
    void shouldFallBackWhenTheNewestManifestIsDamaged() throws IOException {
        Random rnd = new Random(1);
        CheckpointStorage s = new CheckpointStorage(dir, (st, id) -> { });
        Map<Long, CheckpointManifest> written = new HashMap<>();
        written.put(1L, write(s, 1, rnd));
        written.put(2L, write(s, 2, rnd));
        Path newest = dir.resolve("checkpoints").resolve(CheckpointStorage.manifestName(2));
        byte[] good = Files.readAllBytes(newest);
        for (int i = 0; i < 200; i++) {
            byte[] bad = good.clone();
            switch (i % 3) {
                case 0 -> bad[rnd.nextInt(bad.length)] ^= (byte) (1 << rnd.nextInt(8));
                case 1 -> bad = Arrays.copyOf(bad, rnd.nextInt(bad.length));
                default -> rnd.nextBytes(bad);
            }
            Files.write(newest, bad);
            assertThat(s.loadLatest().orElseThrow().id()).isEqualTo(1);
            assertComplete(dir, written);
        }
        Files.write(newest, good);
        assertThat(s.loadLatest().orElseThrow().id()).isEqualTo(2);
        // a state blob of the newest checkpoint damaged: fall back too
        Path stateFile = dir.resolve("state").resolve(CheckpointStorage.stateFileName(2, 1));
        byte[] st = Files.readAllBytes(stateFile);
        st[st.length - 1] ^= 1;
        Files.write(stateFile, st);
        assertThat(s.loadLatest().orElseThrow().id()).isEqualTo(1);
        Files.delete(stateFile);
        assertThat(s.loadLatest().orElseThrow().id()).isEqualTo(1);
    }

    @Test
    void shouldKeepOnlyTheNewestTwoCheckpointsAndTheStateTheyUse() {
        Random rnd = new Random(2);
        CheckpointStorage s = new CheckpointStorage(dir, (st, id) -> { });
        for (long id = 1; id <= 5; id++) {
            write(s, id, rnd);
        }
        assertThat(s.manifestIds()).containsExactly(4L, 5L);
        assertThat(dir.resolve("state").toFile().list()).containsExactlyInAnyOrder(
                CheckpointStorage.stateFileName(4, 0), CheckpointStorage.stateFileName(4, 1),
                CheckpointStorage.stateFileName(5, 0), CheckpointStorage.stateFileName(5, 1));
    }

    /** The completeness check fails for a writer that replaces the manifest in place and dies half way. */
    @Test
    void completenessCheckShouldCatchANonAtomicWriter() throws IOException {
        Random rnd = new Random(3);
        CheckpointStorage s = new CheckpointStorage(dir, (st, id) -> { });
        Map<Long, CheckpointManifest> written = new HashMap<>();
        written.put(1L, write(s, 1, rnd));
        Path only = dir.resolve("checkpoints").resolve(CheckpointStorage.manifestName(1));
        byte[] next = ManifestCodec.encode(written.get(1L));
        Files.write(only, Arrays.copyOf(next, next.length / 2)); // "update in place", crash half way
        assertThatThrownBy(() -> assertComplete(dir, written)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("a complete checkpoint");
    }

    @Test
    void shouldRejectGarbledLengthsWithoutAllocating() {
        byte[] m = ManifestCodec.encode(new CheckpointManifest(1, "job", 0, 1, Map.of(), Map.of(), Map.of()));
        Random rnd = new Random(4);
        for (int i = 0; i < 10_000; i++) {
            byte[] bad = m.clone();
            bad[rnd.nextInt(bad.length)] = (byte) rnd.nextInt();
            try {
                ManifestCodec.decode(bad);
            } catch (CorruptCheckpointException expected) {
                // the only failure it may report
            }
        }
    }

    /** Writes a manifest whose state is only key-group files (name to length). */
    private static void writeWithFiles(CheckpointStorage s, long id, Map<String, Long> files) {
        s.writeManifest(new CheckpointManifest(id, "job", id, 1, Map.of(), Map.of(), Map.of(), new TreeMap<>(files)));
        s.prune(id);
    }

    private static String storeFile(CheckpointStorage s, int group, long generation, int bytes) throws IOException {
        Path p = s.storeDir("op", "state").resolve(CheckpointStorage.storeFileName(group, generation));
        Files.write(p, new byte[bytes]);
        return s.relativeName(p);
    }

    @Test
    void shouldDeleteKeyGroupFilesOnlyWhenNoKeptCheckpointOrLiveTaskNeedsThem() throws IOException {
        CheckpointStorage s = new CheckpointStorage(dir, (st, id) -> { });
        String g0gen1 = storeFile(s, 0, 1, 100);
        writeWithFiles(s, 1, Map.of(g0gen1, 100L));
        String g1gen1 = storeFile(s, 1, 1, 50);      // a group's first file, no checkpoint refers to it yet
        String g0gen2 = storeFile(s, 0, 2, 100);     // group 0 compacted; it grows after each checkpoint
        writeWithFiles(s, 2, Map.of(g0gen2, 80L));
        assertThat(s.storePath(g0gen1)).as("the fallback checkpoint 1 refers to it").exists();
        writeWithFiles(s, 3, Map.of(g0gen2, 90L));
        assertThat(s.storePath(g0gen1)).as("compacted away, no kept checkpoint refers to it").doesNotExist();
        assertThat(s.storePath(g1gen1)).as("a running task's new file").exists();
        assertThat(s.storePath(g0gen2)).exists();

        // a restart deletes what no manifest refers to (written after the last checkpoint)
        s.cleanupAfterRestore(3);
        assertThat(s.storePath(g1gen1)).doesNotExist();
        assertThat(s.storePath(g0gen2)).exists();
        assertThat(s.loadLatest().orElseThrow().id()).isEqualTo(3);

        // a key-group file shorter than the newest checkpoint needs: fall back to the previous one
        Files.write(s.storePath(g0gen2), new byte[85]);
        assertThat(s.loadLatest().orElseThrow().id()).isEqualTo(2);
        Files.delete(s.storePath(g0gen2));
        assertThat(s.loadLatest()).isEmpty();
    }

    @Test
    void shouldReadManifestsOfVersionOneAndWriteVersionOneWithoutKeyGroupFiles() {
        CheckpointManifest plain = new CheckpointManifest(1, "job", 0, 1, Map.of(), Map.of(), Map.of());
        byte[] bytes = ManifestCodec.encode(plain);
        assertThat(java.nio.ByteBuffer.wrap(bytes).getInt(4)).as("version").isEqualTo(1);
        assertThat(ManifestCodec.decode(bytes)).isEqualTo(plain);
        CheckpointManifest withFiles = new CheckpointManifest(2, "job", 0, 1, Map.of(), Map.of(), Map.of(),
                new TreeMap<>(Map.of("store/op/state/g000-00000000000000000001.data", 123L)));
        byte[] v2 = ManifestCodec.encode(withFiles);
        assertThat(java.nio.ByteBuffer.wrap(v2).getInt(4)).as("version").isEqualTo(2);
        assertThat(ManifestCodec.decode(v2)).isEqualTo(withFiles);
    }
}
