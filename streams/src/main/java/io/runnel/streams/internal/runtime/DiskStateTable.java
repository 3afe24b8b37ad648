package io.runnel.streams.internal.runtime;

import static io.runnel.streams.internal.state.StateRecordDescriptor.KIND_TOMBSTONE;
import static io.runnel.streams.internal.state.StateRecordDescriptor.KIND_VALUE;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.runnel.streams.JobFailedException;
import io.runnel.streams.StreamsException;
import io.runnel.streams.internal.checkpoint.CheckpointStorage;
import io.runnel.streams.internal.checkpoint.CorruptCheckpointException;
import io.runnel.streams.internal.state.KeyGroupFile;
import io.runnel.streams.internal.state.KeyGroupIndex;
import io.runnel.streams.internal.state.KeyGroups;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * A keyed state kept in files: per key group an append-only {@link KeyGroupFile} in the state
 * directory and a {@link KeyGroupIndex} on the heap (16 to 32 bytes per key), with the hot entries in
 * the task's {@link StateCache}. A read the cache misses costs one file read; a changed entry is
 * appended when it is evicted or at a checkpoint.
 *
 * <p>Checkpoints: after {@link StateCache#prepareSnapshot} wrote the dirty entries, a group's blob
 * names its file and current length; the file only grows, so that prefix stays as it was (earlier
 * checkpoints refer to shorter prefixes of the same file) and a checkpoint writes only what changed.
 * When more than half of a file's records are superseded, the checkpoint first compacts it into the
 * next generation, leaving the old file to the checkpoints that refer to it (pruning deletes it).
 * A restore opens the named file, cuts off what was appended after the checkpoint and rebuilds the
 * index from the records' prev links. One task thread.
 */
final class DiskStateTable extends StateTable {

    /** At most this many compactions per table and checkpoint (they pause the task). */
    private static final int MAX_COMPACTIONS_PER_CHECKPOINT = 8;

    /** Receives the live entries of a key-group file. */
    @FunctionalInterface
    interface EntryConsumer {
        void accept(Object key, Object value, long touchedMs);
    }

    private final StateCache cache;
    private final CheckpointStorage storage;
    private final Path dir;
    private final Kryo kryo;
    private final KeyGroupFile[] files = new KeyGroupFile[KeyGroups.COUNT];
    private final KeyGroupIndex[] indexes = new KeyGroupIndex[KeyGroups.COUNT];
    private final long[] generations = new long[KeyGroups.COUNT];
    private final long[] records = new long[KeyGroups.COUNT];
    private final String[] snapshotFiles = new String[KeyGroups.COUNT];
    private final long[] snapshotLengths = new long[KeyGroups.COUNT];
    /** The cached entries with no record yet, by group and hash ({@link #id}): the index cannot find them. */
    private final HashMap<Long, ArrayList<StateCache.Entry>> unwritten = new HashMap<>();

    DiskStateTable(TaskContext ctx, String operator, String name, long ttlMs, KeyedStateful.DirtyGroups dirty) {
        super(name, ttlMs, dirty);
        this.cache = ctx.stateCache();
        this.storage = cache.storage();
        this.dir = storage.storeDir(operator, name);
        this.kryo = cache.codec().kryo();
        // new files get generations above every file already there (some may belong to the fallback checkpoint)
        CheckpointStorage.storeFileGenerations(dir, generations);
        cache.register(this);
    }

    // ---- reads and writes ----

    @Override
    Object get(Object key, int group, long nowMs) {
        try {
            return getOrFail(key, group, nowMs);
        } catch (JobFailedException e) {
            throw e;
        } catch (StreamsException e) {
            throw failed(e);
        }
    }

    @Override
    void put(Object key, int group, Object value, long nowMs) {
        try {
            putOrFail(key, group, value, nowMs);
        } catch (JobFailedException e) {
            throw e;
        } catch (StreamsException e) {
            throw failed(e);
        }
    }

    /** A file error while the task runs fails the job (it is no bad record: the bad-data policy does not apply). */
    private JobFailedException failed(StreamsException e) {
        return new JobFailedException("keyed state '" + name + "' in " + dir + ": " + e.getMessage(), e);
    }

    private Object getOrFail(Object key, int group, long nowMs) {
        StateCache.Entry e = cache.get(this, key);
        boolean loaded = false;
        if (e == null) {
            e = load(key, group);
            if (e == null) {
                return null;
            }
            loaded = true;
        }
        if (ttlMs > 0) {
            if (nowMs - e.touchedMs >= ttlMs) {
                cache.remove(e);
                delete(e);
                return null;
            }
            e.touchedMs = nowMs;
            e.dirty = true;
            dirty.mark(group);
            cache.put(e); // after the change: the entry may have been evicted meanwhile
        } else if (loaded) {
            cache.put(e);
        }
        return e.value;
    }

    private void putOrFail(Object key, int group, Object value, long nowMs) {
        dirty.mark(group);
        StateCache.Entry e = cache.get(this, key);
        if (e == null) {
            int hash = KeyGroups.hash(key);
            e = new StateCache.Entry(this, key, group, hash, find(key, group, hash, null));
            if (e.offset < 0 && value != null) {
                unwritten.computeIfAbsent(id(group, hash), k -> new ArrayList<>(1)).add(e);
            }
        }
        if (value == null) {
            cache.remove(e);
            delete(e);
            return;
        }
        e.value = value;
        e.touchedMs = nowMs;
        e.dirty = true;
        cache.put(e);
    }

    /** The entry of {@code key} read from its file, or null. */
    private StateCache.Entry load(Object key, int group) {
        int hash = KeyGroups.hash(key);
        KeyGroupFile.Record[] found = new KeyGroupFile.Record[1];
        long offset = find(key, group, hash, found);
        if (offset < 0) {
            return null;
        }
        Input in = new Input(found[0].payload());
        kryo.readClassAndObject(in); // the key, compared already
        StateCache.Entry e = new StateCache.Entry(this, key, group, hash, offset);
        e.value = kryo.readClassAndObject(in);
        e.touchedMs = found[0].touchedMs();
        return e;
    }

    /** The offset of {@code key}'s live record (read into {@code found[0]} if given), or -1. */
    private long find(Object key, int group, int hash, KeyGroupFile.Record[] found) {
        KeyGroupIndex ix = indexes[group];
        if (ix == null || ix.size() == 0) {
            return -1;
        }
        KeyGroupFile f = files[group];
        return ix.find(hash, offset -> {
            KeyGroupFile.Record r = f.read(offset);
            if (!key.equals(kryo.readClassAndObject(new Input(r.payload())))) {
                return false; // another key with the same hash
            }
            if (found != null) {
                found[0] = r;
            }
            return true;
        });
    }

    /** Removes an entry (no longer cached) from the file: a tombstone if it has a record there. */
    private void delete(StateCache.Entry e) {
        dirty.mark(e.group);
        if (e.offset < 0) {
            written(e);
            return;
        }
        KeyGroupFile f = files[e.group];
        f.append(KIND_TOMBSTONE, e.hash, e.offset, e.touchedMs, new byte[0], 0);
        records[e.group]++;
        cache.appended(f);
        if (!indexes[e.group].remove(e.hash, e.offset)) {
            throw new IllegalStateException("state '" + name + "': no index slot for the record at " + e.offset + " of " + f.path());
        }
        e.offset = -1;
    }

    /** Appends a dirty entry's value to its file (eviction or checkpoint). */
    void writeBack(StateCache.Entry e) {
        KeyGroupFile f = file(e.group);
        Output out = cache.payloadBuffer();
        kryo.writeClassAndObject(out, e.key());
        kryo.writeClassAndObject(out, e.value);
        long offset = f.append(KIND_VALUE, e.hash, e.offset, e.touchedMs, out.getBuffer(), out.position());
        records[e.group]++;
        cache.appended(f);
        KeyGroupIndex ix = indexes[e.group];
        if (e.offset < 0) {
            ix.insert(e.hash, offset, e.touchedMs);
            written(e);
        } else if (!ix.replace(e.hash, e.offset, offset, e.touchedMs)) {
            throw new IllegalStateException("state '" + name + "': no index slot for the record at " + e.offset + " of " + f.path());
        }
        e.offset = offset;
        e.dirty = false;
    }

    private static long id(int group, int hash) {
        return (long) group << 32 | (hash & 0xFFFFFFFFL);
    }

    /** Entry {@code e} has a record now, or is gone: the index finds it (or nothing has to). */
    private void written(StateCache.Entry e) {
        if (unwritten.isEmpty()) {
            return;
        }
        long id = id(e.group, e.hash);
        ArrayList<StateCache.Entry> list = unwritten.get(id);
        if (list != null && list.remove(e) && list.isEmpty()) {
            unwritten.remove(id);
        }
    }

    private KeyGroupFile file(int group) {
        KeyGroupFile f = files[group];
        if (f == null) {
            f = newFile(group, generations[group] + 1);
            indexes[group] = new KeyGroupIndex(ttlMs > 0);
        }
        return f;
    }

    private KeyGroupFile newFile(int group, long generation) {
        KeyGroupFile f = KeyGroupFile.create(dir.resolve(CheckpointStorage.storeFileName(group, generation)));
        files[group] = f;
        generations[group] = generation;
        records[group] = 0;
        cache.created(dir);
        cache.appended(f);
        return f;
    }

    @Override
    void forEach(BitSet groups, EntryVisitor visitor) {
        failingTheJob(() -> forEachOrFail(groups, visitor));
    }

    /** Runs {@code action}; a file error fails the job, as in {@link #get}. */
    private void failingTheJob(Runnable action) {
        try {
            action.run();
        } catch (JobFailedException e) {
            throw e;
        } catch (StreamsException e) {
            throw failed(e);
        }
    }

    private void forEachOrFail(BitSet groups, EntryVisitor visitor) {
        // the cached entries first: their values are newer than their records
        @SuppressWarnings({"unchecked", "rawtypes"}) // Java cannot create generic arrays; every slot holds the same list type
        ArrayList<StateCache.Entry>[] cached = new ArrayList[KeyGroups.COUNT];
        for (StateCache.Entry e : cache.entries()) {
            if (e.table() == this && groups.get(e.group)) {
                if (cached[e.group] == null) {
                    cached[e.group] = new ArrayList<>();
                }
                cached[e.group].add(e);
            }
        }
        ArrayList<Object> fromCache = new ArrayList<>();
        HashSet<Long> cachedOffsets = new HashSet<>();
        for (int g = groups.nextSetBit(0); g >= 0; g = groups.nextSetBit(g + 1)) {
            // Taken before the visitor runs: its puts may evict (and so append and move) entries. An
            // evicted entry keeps its value and learns its new offset, so each key is visited once:
            // cached ones from here, the others from the records at the offsets taken now (the file
            // only grows between checkpoints, so they stay readable).
            fromCache.clear();
            cachedOffsets.clear();
            if (cached[g] != null) {
                for (StateCache.Entry e : cached[g]) {
                    fromCache.add(e.key());
                    fromCache.add(e.value);
                    if (e.offset >= 0) {
                        cachedOffsets.add(e.offset);
                    }
                }
            }
            KeyGroupIndex ix = indexes[g];
            long[] offsets = ix == null ? new long[0] : ix.sortedOffsets();
            for (int i = 0; i < fromCache.size(); i += 2) {
                visitor.accept(fromCache.get(i), g, fromCache.get(i + 1));
            }
            for (long offset : offsets) {
                if (!cachedOffsets.contains(offset)) {
                    Input in = new Input(files[g].read(offset).payload());
                    Object key = kryo.readClassAndObject(in);
                    visitor.accept(key, g, kryo.readClassAndObject(in));
                }
            }
        }
    }

    @Override
    boolean findsByHash() {
        return true;
    }

    @Override
    void forEachWithHash(int group, int hash, EntryVisitor visitor) {
        failingTheJob(() -> forEachWithHashOrFail(group, hash, visitor));
    }

    private void forEachWithHashOrFail(int group, int hash, EntryVisitor visitor) {
        ArrayList<Object> entries = new ArrayList<>(2);
        ArrayList<StateCache.Entry> fresh = unwritten.get(id(group, hash));
        if (fresh != null) {
            for (StateCache.Entry e : fresh) {
                entries.add(e.key());
                entries.add(e.value);
            }
        }
        KeyGroupIndex ix = indexes[group];
        if (ix != null && ix.size() > 0) {
            ArrayList<Long> offsets = new ArrayList<>(1);
            ix.find(hash, offset -> {
                offsets.add(offset);
                return false;
            });
            // the cache lookups below may evict (and so move) entries: the offsets are taken first
            for (long offset : offsets) {
                Input in = new Input(files[group].read(offset).payload());
                Object key = kryo.readClassAndObject(in);
                StateCache.Entry cached = cache.get(this, key);
                entries.add(key);
                entries.add(cached != null ? cached.value : kryo.readClassAndObject(in));
            }
        }
        for (int i = 0; i < entries.size(); i += 2) {
            visitor.accept(entries.get(i), group, entries.get(i + 1));
        }
    }

    @Override
    int expire(long nowMs) {
        if (ttlMs == 0) {
            return 0;
        }
        int n = 0;
        // cached entries first: their times are newer than their records' (offsets are per group: each
        // group's file has its own)
        @SuppressWarnings({"unchecked", "rawtypes"}) // Java cannot create generic arrays; every slot holds the same set type
        HashSet<Long>[] cachedOffsets = new HashSet[KeyGroups.COUNT];
        for (Iterator<StateCache.Entry> it = cache.entries().iterator(); it.hasNext(); ) {
            StateCache.Entry e = it.next();
            if (e.table() != this) {
                continue;
            }
            if (nowMs - e.touchedMs >= ttlMs) {
                it.remove();
                delete(e);
                n++;
            } else if (e.offset >= 0) {
                if (cachedOffsets[e.group] == null) {
                    cachedOffsets[e.group] = new HashSet<>();
                }
                cachedOffsets[e.group].add(e.offset);
            }
        }
        for (int g = 0; g < KeyGroups.COUNT; g++) {
            KeyGroupIndex ix = indexes[g];
            if (ix == null || ix.size() == 0) {
                continue;
            }
            long[] expired = new long[ix.size()];
            int[] hashes = new int[ix.size()];
            int[] count = {0};
            Set<Long> cached = cachedOffsets[g] == null ? Set.of() : cachedOffsets[g];
            ix.forEach((hash, offset, touched) -> {
                if (nowMs - touched >= ttlMs && !cached.contains(offset)) {
                    hashes[count[0]] = hash;
                    expired[count[0]++] = offset;
                }
            });
            for (int i = 0; i < count[0]; i++) {
                StateCache.Entry gone = new StateCache.Entry(this, null, g, hashes[i], expired[i]);
                delete(gone);
            }
            n += count[0];
        }
        return n;
    }

    @Override
    boolean isEmpty(int group) {
        return indexes[group] == null || indexes[group].size() == 0;
    }

    // ---- checkpoints ----

    /** The dirty entries are written: forget references to emptied groups, compact the worst files. */
    void prepareSnapshot() {
        int compactions = 0;
        for (int g = 0; g < KeyGroups.COUNT; g++) {
            if (isEmpty(g)) {
                snapshotFiles[g] = null;
                continue;
            }
            if (compactions < MAX_COMPACTIONS_PER_CHECKPOINT && records[g] > 2L * indexes[g].size() + cache.compactionSlackRecords()) {
                compact(g);
                compactions++;
            }
        }
    }

    /** Copies the live records of group {@code g} into a new file (next generation); cached entries follow. */
    private void compact(int g) {
        KeyGroupFile old = files[g];
        KeyGroupIndex oldIndex = indexes[g];
        Map<Long, StateCache.Entry> cached = new HashMap<>();
        for (StateCache.Entry e : cache.entries()) {
            if (e.table() == this && e.group == g && e.offset >= 0) {
                cached.put(e.offset, e);
            }
        }
        KeyGroupFile fresh = newFile(g, generations[g] + 1);
        KeyGroupIndex index = new KeyGroupIndex(ttlMs > 0);
        for (long offset : oldIndex.sortedOffsets()) {
            KeyGroupFile.Record r = old.read(offset);
            long moved = fresh.append(KIND_VALUE, r.hash(), -1, r.touchedMs(), r.payload(), r.payload().length);
            index.insert(r.hash(), moved, r.touchedMs());
            StateCache.Entry e = cached.get(offset);
            if (e != null) {
                e.offset = moved;
            }
        }
        records[g] = index.size();
        indexes[g] = index;
        dirty.mark(g);
        cache.closed(old);
        old.close(); // earlier checkpoints may still refer to it: pruning deletes it once none does
    }

    @Override
    void snapshot(int group, Kryo k, Output out) {
        KeyGroupFile f = files[group];
        f.flush();
        String file = storage.relativeName(f.path());
        out.writeInt(FILE_REFERENCE);
        out.writeString(file);
        out.writeLong(f.size());
        snapshotFiles[group] = file;
        snapshotLengths[group] = f.size();
    }

    void referencedFiles(Map<String, Long> out) {
        for (int g = 0; g < KeyGroups.COUNT; g++) {
            if (snapshotFiles[g] != null) {
                out.put(snapshotFiles[g], snapshotLengths[g]);
            }
        }
    }

    @Override
    void restore(int group, Kryo k, Input in, boolean withTimes, long nowMs) {
        int n = in.readInt();
        if (n != FILE_REFERENCE) {
            // taken while the job kept state on the heap: write the entries to a new file
            for (int i = 0; i < n; i++) {
                Object key = kryo.readClassAndObject(in);
                StateCache.Entry e = new StateCache.Entry(this, key, group, KeyGroups.hash(key), -1);
                e.value = kryo.readClassAndObject(in);
                e.touchedMs = withTimes ? in.readLong() : nowMs;
                writeBack(e);
            }
            dirty.mark(group);
            return;
        }
        String name = in.readString();
        long length = in.readLong();
        Path path = storage.storePath(name);
        KeyGroupFile f = KeyGroupFile.open(path, length);
        KeyGroupIndex ix = new KeyGroupIndex(ttlMs > 0);
        long[] count = {0};
        f.scan(r -> {
            apply(ix, r, path);
            count[0]++;
        });
        files[group] = f;
        indexes[group] = ix;
        generations[group] = Math.max(generations[group], CheckpointStorage.storeFileGeneration(path));
        records[group] = count[0];
        snapshotFiles[group] = name;
        snapshotLengths[group] = length;
    }

    /** Applies one record, read in file order, to the index of its file. */
    private static void apply(KeyGroupIndex ix, KeyGroupFile.Record r, Path path) {
        boolean ok;
        if (r.kind() == KIND_TOMBSTONE) {
            ok = ix.remove(r.hash(), r.prev());
        } else if (r.kind() != KIND_VALUE) {
            throw new CorruptCheckpointException("key-group file " + path + ": unknown record kind " + r.kind() + " at " + r.offset());
        } else if (r.prev() < 0) {
            ix.insert(r.hash(), r.offset(), r.touchedMs());
            ok = true;
        } else {
            ok = ix.replace(r.hash(), r.prev(), r.offset(), r.touchedMs());
        }
        if (!ok) {
            throw new CorruptCheckpointException("key-group file " + path + ": the record at " + r.offset()
                    + " replaces the record at " + r.prev() + ", which is not live");
        }
    }

    /** Reads the live entries of the first {@code length} bytes of key-group file {@code name} (for a heap table). */
    static void load(TaskContext ctx, String name, long length, Kryo kryo, EntryConsumer consumer) {
        if (ctx.storage() == null) {
            throw new IllegalStateException("a checkpoint refers to key-group file " + name + " but the job has no state directory");
        }
        Path path = ctx.storage().storePath(name);
        try (KeyGroupFile f = KeyGroupFile.openReadOnly(path, length)) {
            KeyGroupIndex ix = new KeyGroupIndex(false);
            f.scan(r -> apply(ix, r, path));
            for (long offset : ix.sortedOffsets()) {
                KeyGroupFile.Record r = f.read(offset);
                Input in = new Input(r.payload());
                Object key = kryo.readClassAndObject(in);
                consumer.accept(key, kryo.readClassAndObject(in), r.touchedMs());
            }
        }
    }

    void close() {
        for (KeyGroupFile f : files) {
            if (f != null) {
                f.close();
            }
        }
    }

    /** Bytes of the heap index (for tests and metrics). */
    long indexBytes() {
        long n = 0;
        for (KeyGroupIndex ix : indexes) {
            n += ix == null ? 0 : ix.memoryBytes();
        }
        return n;
    }
}
