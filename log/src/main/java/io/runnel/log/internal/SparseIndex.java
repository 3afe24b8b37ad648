package io.runnel.log.internal;

import java.util.Arrays;

/**
 * A growable sorted array of (key, value) pairs with one writer and lock-free readers: the writer
 * fills an entry, then publishes the new size (volatile); a reader reads the size first, so it
 * only sees complete entries. Keys must be non-decreasing.
 */
final class SparseIndex {
    private volatile long[] keys = new long[16];
    private volatile long[] values = new long[16];
    private volatile int size;

    void add(long key, long value) {
        int n = size;
        long[] k = keys;
        long[] v = values;
        if (n == k.length) {
            v = Arrays.copyOf(v, n * 2);
            k = Arrays.copyOf(k, n * 2);
            values = v;
            keys = k;
        }
        k[n] = key;
        v[n] = value;
        size = n + 1; // publish last
    }

    int size() {
        return size;
    }

    long key(int i) {
        return keys[i];
    }

    long value(int i) {
        return values[i];
    }

    long lastKey() {
        int n = size;
        return n == 0 ? Long.MIN_VALUE : keys[n - 1];
    }

    /** Index of the last entry with key <= {@code key}, or -1. */
    int floor(long key) {
        return search(key, true);
    }

    /** Index of the last entry with key < {@code key}, or -1. */
    int lower(long key) {
        return search(key, false);
    }

    private int search(long key, boolean inclusive) {
        int n = size; // size first: entries below it are complete
        long[] k = keys;
        int lo = 0;
        int hi = n - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (k[mid] < key || (inclusive && k[mid] == key)) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** Drops entries from {@code newSize} on (writer only). */
    void truncate(int newSize) {
        if (newSize < size) {
            size = newSize;
        }
    }
}
