package io.runnel.streams.internal.checkpoint;

import io.runnel.streams.StreamsException;
import io.runnel.streams.internal.checkpoint.CheckpointManifest.StateRef;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.CRC32;
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
 * stateDir/store/&lt;operator&gt;/&lt;state&gt;/g&lt;group, 3 digits&gt;-&lt;generation, 20 digits&gt;.data
 *                                                    key-group files of state kept on disk
 * </pre>
 *
 * <p>Key-group files are append-only and shared: a checkpoint refers to a prefix of each (the
 * manifest lists them with the length it needs). They are deleted when no kept manifest refers to
 * them and a newer generation of the same group is referred to (pruning), or when no manifest at all
 * refers to them (at a restore: left over by a run that crashed).
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

    private static final String STORE = "store";
    private static final String STORE_SUFFIX = ".data";

    private final Path dir;
    private final Path checkpoints;
    private final Path state;
    private final Path store;
    private final StepHook hook;

    public CheckpointStorage(Path dir, StepHook hook) {
        this.dir = dir;
        this.checkpoints = dir.resolve("checkpoints");
        this.state = dir.resolve("state");
        this.store = dir.resolve(STORE);
        this.hook = hook;
        try {
            Files.createDirectories(checkpoints);
            Files.createDirectories(state);
            Files.createDirectories(store);
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

    /** The directory of the key-group files of state {@code stateName} of operator {@code operator} (created). */
    public Path storeDir(String operator, String stateName) {
        Path p = store.resolve(safeName(operator)).resolve(safeName(stateName));
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new StreamsException("cannot create state directory " + p + ": " + e, e);
        }
        return p;
    }

    /** A name usable as a file name, unique per input: the readable part plus a hash of the exact name. */
    private static String safeName(String name) {
        CRC32 crc = new CRC32();
        crc.update(name.getBytes(StandardCharsets.UTF_8));
        String readable = name.replaceAll("[^A-Za-z0-9_.-]", "_");
        return (readable.length() > 64 ? readable.substring(0, 64) : readable) + "-" + String.format("%08x", crc.getValue());
    }

    /** The file name of generation {@code generation} of key group {@code group}'s file. */
    public static String storeFileName(int group, long generation) {
        return String.format("g%03d-%020d%s", group, generation, STORE_SUFFIX);
    }

    /** The generation in a key-group file's name, -1 if it is not one. */
    public static long storeFileGeneration(Path file) {
        String n = file.getFileName().toString();
        if (n.length() != 25 + STORE_SUFFIX.length() || n.charAt(0) != 'g' || n.charAt(4) != '-' || !n.endsWith(STORE_SUFFIX)) {
            return -1;
        }
        try {
            Integer.parseInt(n.substring(1, 4));
            return Long.parseLong(n.substring(5, 25));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int storeFileGroup(Path file) {
        return Integer.parseInt(file.getFileName().toString().substring(1, 4));
    }

    /** Raises {@code generations[g]} to the highest generation of group g's files in {@code storeDir}. */
    public static void storeFileGenerations(Path storeDir, long[] generations) {
        for (Path p : list(storeDir)) {
            long gen = storeFileGeneration(p);
            if (gen >= 0) {
                int g = storeFileGroup(p);
                if (g < generations.length) {
                    generations[g] = Math.max(generations[g], gen);
                }
            }
        }
    }

    /** The name of a key-group file relative to the state directory, as manifests and blobs hold it. */
    public String relativeName(Path file) {
        return dir.relativize(file).toString().replace(File.separatorChar, '/');
    }

    /**
     * The path of key-group file {@code name} (relative to the state directory).
     *
     * @throws CorruptCheckpointException if the name points outside the store directory
     */
    public Path storePath(String name) {
        Path p = dir.resolve(name).normalize();
        if (!p.startsWith(store.normalize()) || storeFileGeneration(p) < 0) {
            throw new CorruptCheckpointException("checkpoint refers to '" + name + "', which is no key-group file of " + store);
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
                for (Map.Entry<String, Long> f : m.storeFiles().entrySet()) {
                    Path file = storePath(f.getKey());
                    long size = Files.exists(file) ? Files.size(file) : -1;
                    if (size < f.getValue()) {
                        throw new CorruptCheckpointException("key-group file " + file + (size < 0 ? " is missing" : " has " + size
                                + " bytes") + ", the checkpoint needs " + f.getValue());
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
        // key-group files no manifest refers to: written after the last checkpoint of a run that stopped
        Set<Path> referenced = new HashSet<>();
        for (long id : manifestIds()) {
            try {
                CheckpointManifest m = ManifestCodec.decode(Files.readAllBytes(checkpoints.resolve(manifestName(id))));
                for (String f : m.storeFiles().keySet()) {
                    referenced.add(storePath(f));
                }
            } catch (CorruptCheckpointException | IOException e) {
                LOG.debug("checkpoint {} is unreadable; its key-group files are not kept for it: {}", id, e.getMessage());
            }
        }
        for (Path p : storeFiles()) {
            if (!referenced.contains(p)) {
                delete(p);
            }
        }
    }

    /** Every key-group file in the store directory. */
    private List<Path> storeFiles() {
        List<Path> out = new ArrayList<>();
        try (var walk = Files.walk(store)) {
            walk.filter(p -> storeFileGeneration(p) >= 0 && Files.isRegularFile(p)).forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * Keeps the newest two complete manifests (the newest and its fallback) and the state files they
     * refer to; deletes older manifests and unreferenced state files of checkpoints up to {@code latestId}.
     */
    public void prune(long latestId) {
        List<Long> ids = manifestIds();
        Set<String> referenced = new HashSet<>();
        Set<Path> referencedFiles = new HashSet<>();
        List<Long> kept = new ArrayList<>();
        for (int i = ids.size() - 1; i >= 0 && kept.size() < 2; i--) {
            long id = ids.get(i);
            if (id > latestId) {
                continue;
            }
            try {
                CheckpointManifest m = ManifestCodec.decode(Files.readAllBytes(checkpoints.resolve(manifestName(id))));
                m.state().values().forEach(refs -> refs.values().forEach(r -> referenced.add(r.file())));
                for (String f : m.storeFiles().keySet()) {
                    referencedFiles.add(storePath(f));
                }
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
        pruneStoreFiles(referencedFiles);
        hook.at(Step.PRUNED, latestId);
    }

    /**
     * Deletes the key-group files the kept checkpoints do not refer to but whose group they refer to
     * in a newer generation: compacted away. A group's live file is never older than the newest
     * generation a checkpoint refers to, and a file no checkpoint refers to yet (a new group's) has
     * no newer referenced generation, so running tasks never lose a file.
     */
    private void pruneStoreFiles(Set<Path> referenced) {
        Map<String, Long> newest = new HashMap<>();
        for (Path p : referenced) {
            newest.merge(p.getParent() + "/" + storeFileGroup(p), storeFileGeneration(p), Math::max);
        }
        for (Path p : storeFiles()) {
            Long top = newest.get(p.getParent() + "/" + storeFileGroup(p));
            if (!referenced.contains(p) && top != null && storeFileGeneration(p) < top) {
                delete(p);
            }
        }
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

    /** Forces directory {@code d}, so the names of files created in it are durable. */
    public static void forceDirectory(Path d) {
        forceDir(d);
    }

    static void forceDir(Path d) {
        try (FileChannel ch = FileChannel.open(d, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            throw new StreamsException("cannot force directory " + d + ": " + e, e);
        }
    }
}
