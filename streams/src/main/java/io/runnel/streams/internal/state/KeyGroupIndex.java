package io.runnel.streams.internal.state;

import java.util.Arrays;
import java.util.function.LongPredicate;

/**
 * Where the live record of each key of one key-group file is: an open-addressing table of
 * (key hash, record offset, last use) in primitive arrays: 12 bytes a slot (20 with times), 3/8
 * to 3/4 of the slots in use, so 16 to 32 bytes per key (27 to 53 with times). It holds no keys: a lookup tries the records whose
 * hash matches (equal keys have equal hashes; different keys rarely do). One thread.
 */
public final class KeyGroupIndex {

    private static final long EMPTY = 0;      // offsets are >= the file header length, never 0
    private static final long DELETED = -1;

    private final boolean withTimes;
    private int[] hashes;
    private long[] offsets;
    private long[] touched;
    private int size;
    private int used;   // live and deleted slots

    public KeyGroupIndex(boolean withTimes) {
        this.withTimes = withTimes;
        allocate(16);
    }

    private void allocate(int capacity) {
        hashes = new int[capacity];
        offsets = new long[capacity];
        touched = withTimes ? new long[capacity] : null;
        size = 0;
        used = 0;
    }

    /** Live keys. */
    public int size() {
        return size;
    }

    /** Heap bytes of the arrays. */
    public long memoryBytes() {
        return (long) hashes.length * (4 + 8 + (withTimes ? 8 : 0));
    }

    private int home(int hash) {
        int h = hash * 0x9E3779B9; // Fibonacci hashing: spreads hash codes that differ only in high or low bits
        return (h ^ (h >>> 16)) & (hashes.length - 1);
    }

    /**
     * The offset of the first slot with {@code hash} for which {@code matches} (given the offset) is
     * true, or -1.
     */
    public long find(int hash, LongPredicate matches) {
        int mask = hashes.length - 1;
        for (int i = home(hash); offsets[i] != EMPTY; i = (i + 1) & mask) {
            if (offsets[i] != DELETED && hashes[i] == hash && matches.test(offsets[i])) {
                return offsets[i];
            }
        }
        return -1;
    }

    /** Adds a key's record (the key must not be in the index yet). */
    public void insert(int hash, long offset, long touchedMs) {
        if ((used + 1) * 4L > hashes.length * 3L) {
            rehash(size * 4L + 4 > hashes.length * 2L ? hashes.length * 2 : hashes.length);
        }
        int mask = hashes.length - 1;
        int i = home(hash);
        while (offsets[i] != EMPTY && offsets[i] != DELETED) {
            i = (i + 1) & mask;
        }
        if (offsets[i] == EMPTY) {
            used++;
        }
        put(i, hash, offset, touchedMs);
        size++;
    }

    /** Moves a key from record {@code oldOffset} to {@code newOffset}; false if no slot has that record. */
    public boolean replace(int hash, long oldOffset, long newOffset, long touchedMs) {
        int i = slot(hash, oldOffset);
        if (i < 0) {
            return false;
        }
        put(i, hash, newOffset, touchedMs);
        return true;
    }

    /** Removes the key whose record is at {@code offset}; false if none. */
    public boolean remove(int hash, long offset) {
        int i = slot(hash, offset);
        if (i < 0) {
            return false;
        }
        offsets[i] = DELETED;
        size--;
        return true;
    }

    private int slot(int hash, long offset) {
        int mask = hashes.length - 1;
        for (int i = home(hash); offsets[i] != EMPTY; i = (i + 1) & mask) {
            if (offsets[i] == offset && hashes[i] == hash) {
                return i;
            }
        }
        return -1;
    }

    private void put(int i, int hash, long offset, long touchedMs) {
        hashes[i] = hash;
        offsets[i] = offset;
        if (withTimes) {
            touched[i] = touchedMs;
        }
    }

    private void rehash(int capacity) {
        int[] h = hashes;
        long[] o = offsets;
        long[] t = touched;
        allocate(capacity);
        for (int i = 0; i < h.length; i++) {
            if (o[i] != EMPTY && o[i] != DELETED) {
                insert(h[i], o[i], t == null ? 0 : t[i]);
            }
        }
    }

    /** Receives the live slots. */
    @FunctionalInterface
    public interface SlotVisitor {
        void visit(int hash, long offset, long touchedMs);
    }

    /** Visits every live slot (the index must not change meanwhile). */
    public void forEach(SlotVisitor v) {
        for (int i = 0; i < hashes.length; i++) {
            if (offsets[i] != EMPTY && offsets[i] != DELETED) {
                v.visit(hashes[i], offsets[i], withTimes ? touched[i] : 0);
            }
        }
    }

    /** The live records' offsets, ascending (for reading a file in order). */
    public long[] sortedOffsets() {
        long[] out = new long[size];
        int n = 0;
        for (long o : offsets) {
            if (o != EMPTY && o != DELETED) {
                out[n++] = o;
            }
        }
        Arrays.sort(out);
        return out;
    }
}
