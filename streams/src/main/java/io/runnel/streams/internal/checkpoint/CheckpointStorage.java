package io.runnel.streams.internal.checkpoint;

import io.runnel.streams.StreamsException;
import io.runnel.streams.internal.checkpoint.CheckpointManifest.StateRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job's checkpoints in its state directory; owns every file name there.
 *
 * <pre>
 * stateDir/checkpoints/checkpoint-&lt;id, 20 digits&gt;        complete manifests (the newest two are kept)
 * stateDir/checkpoints/checkpoint-&lt;id&gt;.tmp               a manifest being written
 * stateDir/state/&lt;id, 20 digits&gt;-&lt;task, 4 digits&gt;.state   state blobs a task wrote at checkpoint id
 * stateDir/sinks/&lt;sink&gt;/&lt;task&gt;/                        private directories of sink writers
 * </pre>
 *
 * A manifest is written to a temp file, forced, renamed into place and the directory forced, so a
 * crash leaves either the previous manifest or the complete new one. Loading takes the newest
 * manifest that decodes and whose state blobs are all present with matching CRCs; a damaged newest
 * one falls back to the previous. Thread-safe for use by the tasks (state files) and the coordinator.
 */
public final class CheckpointStorage {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStorage.class);
    private static final String PREFIX = "checkpoint-";
    private static final String TMP = ".tmp";
    static final int STATE_MAGIC = 0x524E5354; // "RNST"

    /** The steps of writing a checkpoint, where crash tests stop the process. */
    public enum Step {
        STATE_FILE_WRITTEN, STATE_FILE_FORCED, STATE_DIR_FORCED, MANIFEST_TEMP_WRITTEN, MANIFEST_TEMP_FORCED,
        MANIFEST_RENAMED, MANIFEST_DIR_FORCED, PRUNED
    }

    /** Called at each step; crash tests halt the JVM in it. */
    @FunctionalInterface
    public interface StepHook {
        void at(Step step, long checkpointId);
    }

    private final Path dir;
    private final Path checkpoints;
    private final Path state;
    private final StepHook hook;

    public CheckpointStorage(Path dir, StepHook hook) {
        this.dir = dir;
        this.checkpoints = dir.resolve("checkpoints");
        this.state = dir.resolve("state");
        this.hook = hook;
        try {
            Files.createDirectories(checkpoints);
            Files.createDirectories(state);
        } catch (IOException e) {
            throw new StreamsException("cannot create the state directory " + dir + ": " + e + " (check the path and permissions)", e);
        }
    }

    public Path dir() {
        return dir;
    }

    /** A sink writer's private directory. */
    public Path sinkDir(String sinkName, int task) {
        Path p = dir.resolve("sinks").resolve(sinkName.replaceAll("[^A-Za-z0-9_.-]", "_")).resolve(Integer.toString(task));
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    static String manifestName(long id) {
        return PREFIX + String.format("%020d", id);
    }

    static String stateFileName(long id, int task) {
        return String.format("%020d-%04d.state", id, task);
    }

    /** Opens a new state file for {@code task} at checkpoint {@code id}. */
    public StateFileWriter newStateFile(long id, int task) {
        return new StateFileWriter(state.resolve(stateFileName(id, task)), id, hook);
    }

    /** Reads a blob and checks its CRC. */
    public byte[] read(StateRef ref) {
        Path p = state.resolve(ref.file());
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            if (ref.length() < 0 || ref.offset() < 0 || ref.offset() + ref.length() > ch.size()) {
                throw new CorruptCheckpointException("state blob " + ref + " lies beyond the end of " + p + " (" + ch.size() + " bytes)");
            }
            ByteBuffer b = ByteBuffer.allocate(ref.length());
            while (b.hasRemaining()) {
                if (ch.read(b, ref.offset() + b.position()) < 0) {
                    throw new CorruptCheckpointException("state file " + p + " ended early");
                }
            }
            CRC32C crc = new CRC32C();
            crc.update(b.array());
            if ((int) crc.getValue() != ref.crc()) {
                throw new CorruptCheckpointException("state blob " + ref + " in " + p + " fails its CRC");
            }
            return b.array();
        } catch (NoSuchFileException e) {
            throw new CorruptCheckpointException("state file " + p + " is missing", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Forces the state directory so every state file written for a checkpoint has its name on disk. */
    public void forceStateDir(long id) {
        forceDir(state);
        hook.at(Step.STATE_DIR_FORCED, id);
    }

    /** Writes {@code m} atomically: temp file, force, rename, force the directory. */
    public long writeManifest(CheckpointManifest m) {
        byte[] bytes = ManifestCodec.encode(m);
        Path tmp = checkpoints.resolve(manifestName(m.id()) + TMP);
        Path target = checkpoints.resolve(manifestName(m.id()));
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                hook.at(Step.MANIFEST_TEMP_WRITTEN, m.id());
                ch.force(true);
            }
            hook.at(Step.MANIFEST_TEMP_FORCED, m.id());
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new StreamsException("the file system of " + dir + " cannot rename atomically; put the state directory on a local disk", e);
            }
            hook.at(Step.MANIFEST_RENAMED, m.id());
            forceDir(checkpoints);
            hook.at(Step.MANIFEST_DIR_FORCED, m.id());
            return bytes.length;
        } catch (IOException e) {
            throw new StreamsException("cannot write checkpoint " + m.id() + " to " + target + ": " + e, e);
        }
    }

    /**
     * The newest complete checkpoint: its manifest decodes and every blob it refers to is present and
     * intact. Damaged newer ones are skipped with a warning (never deleted here).
     */
    public Optional<CheckpointManifest> loadLatest() {
        List<Long> ids = manifestIds();
        for (int i = ids.size() - 1; i >= 0; i--) {
            long id = ids.get(i);
            Path p = checkpoints.resolve(manifestName(id));
            try {
                CheckpointManifest m = ManifestCodec.decode(Files.readAllBytes(p));
                if (m.id() != id) {
                    throw new CorruptCheckpointException("manifest " + p + " holds checkpoint " + m.id());
                }
                for (Map<Integer, StateRef> refs : m.state().values()) {
                    for (StateRef r : refs.values()) {
                        read(r);
                    }
                }
                return Optional.of(m);
            } catch (CorruptCheckpointException | IOException e) {
                LOG.warn("checkpoint {} in {} is damaged ({}); falling back to the previous one", id, checkpoints, e.getMessage());
            }
        }
        return Optional.empty();
    }

    /**
     * Deletes what a restore from {@code restoredId} makes garbage: temp manifests and state files of
     * checkpoints after it (they never completed).
     */
    public void cleanupAfterRestore(long restoredId) {
        for (Path p : list(checkpoints)) {
            if (p.getFileName().toString().endsWith(TMP)) {
                delete(p);
            }
        }
        for (Path p : list(state)) {
            long id = stateFileId(p);
            if (id < 0 || id > restoredId) {
                delete(p);
            }
        }
    }

    /**
     * Keeps the newest two complete manifests (the newest and its fallback) and the state files they
     * refer to; deletes older manifests and unreferenced state files of checkpoints up to {@code latestId}.
     */
    public void prune(long latestId) {
        List<Long> ids = manifestIds();
        Set<String> referenced = new HashSet<>();
        List<Long> kept = new ArrayList<>();
        for (int i = ids.size() - 1; i >= 0 && kept.size() < 2; i--) {
            long id = ids.get(i);
            if (id > latestId) {
                continue;
            }
            try {
                CheckpointManifest m = ManifestCodec.decode(Files.readAllBytes(checkpoints.resolve(manifestName(id))));
                m.state().values().forEach(refs -> refs.values().forEach(r -> referenced.add(r.file())));
                kept.add(id);
            } catch (CorruptCheckpointException | IOException e) {
                LOG.warn("skipping damaged checkpoint {} while pruning: {}", id, e.getMessage());
            }
        }
        if (kept.isEmpty()) {
            return;
        }
        long oldestKept = kept.get(kept.size() - 1);
        for (long id : ids) {
            if (id < oldestKept) {
                delete(checkpoints.resolve(manifestName(id)));
            }
        }
        for (Path p : list(state)) {
            long id = stateFileId(p);
            if (id >= 0 && id <= latestId && !referenced.contains(p.getFileName().toString())) {
                delete(p);
            }
        }
        hook.at(Step.PRUNED, latestId);
    }

    /** Ids of the complete (renamed) manifests, ascending. */
    public List<Long> manifestIds() {
        List<Long> ids = new ArrayList<>();
        for (Path p : list(checkpoints)) {
            String n = p.getFileName().toString();
            if (n.startsWith(PREFIX) && !n.endsWith(TMP)) {
                try {
                    ids.add(Long.parseLong(n.substring(PREFIX.length())));
                } catch (NumberFormatException e) {
                    LOG.warn("ignoring unexpected file {} in {}", n, checkpoints);
                }
            }
        }
        ids.sort(null);
        return ids;
    }

    private static long stateFileId(Path p) {
        String n = p.getFileName().toString();
        int dash = n.indexOf('-');
        if (dash != 20 || !n.endsWith(".state")) {
            return -1;
        }
        try {
            return Long.parseLong(n.substring(0, dash));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static List<Path> list(Path d) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(d)) {
            s.forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", p, e.toString());
        }
    }

    static void forceDir(Path d) {
        try (FileChannel ch = FileChannel.open(d, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            throw new StreamsException("cannot force directory " + d + ": " + e, e);
        }
    }
}
