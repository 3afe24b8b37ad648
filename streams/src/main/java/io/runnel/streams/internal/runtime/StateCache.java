package io.runnel.streams.internal.runtime;

import com.esotericsoftware.kryo.io.Output;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.runnel.streams.JobFailedException;
import io.runnel.streams.internal.checkpoint.CheckpointStorage;
import io.runnel.streams.internal.state.KeyGroupFile;
import io.runnel.streams.internal.state.KryoCodec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The hot entries of every {@link DiskStateTable} of one task: a Caffeine cache bounded by entries
 * ({@code JobConfig.withStateMemoryLimit}). An entry holds the current value of a key; a changed one
 * ("dirty") is written to its key-group file when the cache evicts it and at every checkpoint
 * ({@link #flush}), so the files plus the dirty entries are the state. Caffeine's maintenance runs
 * on the calling thread ({@code executor(Runnable::run)}), so evictions and their writes happen on
 * the task thread, inside cache calls. One task thread.
 */
final class StateCache {

    /** A key of a table. */
    record Key(DiskStateTable table, Object key) {
    }

    /** The current value of a key; {@code offset} is its record in the key-group file, -1 if none. */
    static final class Entry {
        final Key cacheKey;
        final int group;
        final int hash;
        Object value;
        long touchedMs;
        long offset;
        boolean dirty;

        Entry(DiskStateTable table, Object key, int group, int hash, long offset) {
            this.cacheKey = new Key(table, key);
            this.group = group;
            this.hash = hash;
            this.offset = offset;
        }

        DiskStateTable table() {
            return cacheKey.table();
        }

        Object key() {
            return cacheKey.key();
        }
    }

    private final long maxEntries;
    private final Cache<Key, Entry> cache;
    private final KryoCodec codec;
    private final CheckpointStorage storage;
    private final Output payload = new Output(1024, -1);
    private final List<DiskStateTable> tables = new ArrayList<>();
    private final Set<KeyGroupFile> unforced = new LinkedHashSet<>();
    private final Set<Path> newFileDirs = new LinkedHashSet<>();
    private int compactionSlackRecords = 1024;
    private boolean loseEvictedChanges;
    /** A write of an evicted entry failed (Caffeine logs and swallows what its listener throws). */
    private Throwable writeFailure;

    StateCache(long maxEntries, KryoCodec codec, CheckpointStorage storage) {
        this.maxEntries = maxEntries;
        this.codec = codec;
        this.storage = storage;
        this.cache = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .executor(Runnable::run)
                .evictionListener((Key k, Entry e, RemovalCause cause) -> {
                    if (e != null && e.dirty && !loseEvictedChanges) {
                        try {
                            e.table().writeBack(e);
                        } catch (RuntimeException | Error failure) {
                            if (writeFailure == null) {
                                writeFailure = failure;
                            }
                        }
                    }
                })
                .build();
    }

    long maxEntries() {
        return maxEntries;
    }

    /** A key-group file is compacted when it holds more than twice its live records plus this many. */
    int compactionSlackRecords() {
        return compactionSlackRecords;
    }

    /** Tests: compact sooner. */
    void setCompactionSlackRecords(int records) {
        compactionSlackRecords = records;
    }

    /** Tests: a broken cache that forgets changed entries when it evicts them (the model test must notice). */
    void loseEvictedChangesForTests() {
        loseEvictedChanges = true;
    }

    KryoCodec codec() {
        return codec;
    }

    CheckpointStorage storage() {
        return storage;
    }

    /** A buffer for record payloads (Kryo key and value), reset. */
    Output payloadBuffer() {
        payload.reset();
        return payload;
    }

    void register(DiskStateTable table) {
        tables.add(table);
    }

    Entry get(DiskStateTable table, Object key) {
        Entry e = cache.getIfPresent(new Key(table, key));
        checkWrites();
        return e;
    }

    /**
     * (Re)inserts {@code e} after a change. It may be evicted at once (then it is written, as it is
     * now): so every change to an entry happens before this call.
     */
    void put(Entry e) {
        cache.put(e.cacheKey, e);
        checkWrites();
    }

    void remove(Entry e) {
        cache.invalidate(e.cacheKey);
        checkWrites();
    }

    /** Fails the task if writing an evicted entry failed: its change would be lost. */
    private void checkWrites() {
        if (writeFailure != null) {
            throw new JobFailedException("cannot write keyed state to its file in " + storage.dir() + ": " + writeFailure
                    + " (is the disk full?)", writeFailure);
        }
    }

    /** The cached entries (a live view; do not change the cache while iterating). */
    Collection<Entry> entries() {
        return cache.asMap().values();
    }

    long size() {
        return cache.estimatedSize();
    }

    /** A file with appends since the last checkpoint (to force before the next one completes). */
    void appended(KeyGroupFile f) {
        unforced.add(f);
    }

    /** A file is closed (compacted away): nothing to force any more. */
    void closed(KeyGroupFile f) {
        unforced.remove(f);
    }

    /** A file was created in {@code dir} (its directory entry must be forced too). */
    void created(Path dir) {
        newFileDirs.add(dir);
    }

    /**
     * Before a checkpoint's group snapshots: writes every dirty entry to its file, then lets each
     * table drop references to emptied groups and compact files with much garbage.
     */
    void prepareSnapshot() {
        for (Entry e : entries()) {
            if (e.dirty) {
                e.table().writeBack(e);
            }
        }
        for (DiskStateTable t : tables) {
            t.prepareSnapshot();
        }
    }

    /** After the group snapshots: the key-group files the checkpoint refers to (relative name to length). */
    void referencedFiles(Map<String, Long> out) {
        for (DiskStateTable t : tables) {
            t.referencedFiles(out);
        }
    }

    /** Hands over what must be forced before the checkpoint completes: the files appended to, and directories with new files. */
    Durability takeDurability() {
        for (KeyGroupFile f : unforced) {
            f.flush();
        }
        Durability d = new Durability(List.copyOf(unforced), List.copyOf(newFileDirs));
        unforced.clear();
        newFileDirs.clear();
        return d;
    }

    /** Files and directories to force (any thread). */
    record Durability(List<KeyGroupFile> files, List<Path> dirs) {
        boolean isEmpty() {
            return files.isEmpty() && dirs.isEmpty();
        }

        void force() {
            for (KeyGroupFile f : files) {
                f.force();
            }
            for (Path d : dirs) {
                CheckpointStorage.forceDirectory(d);
            }
        }
    }

    void close() {
        for (DiskStateTable t : tables) {
            t.close();
        }
    }
}
