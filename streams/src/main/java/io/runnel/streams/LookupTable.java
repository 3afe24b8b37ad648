package io.runnel.streams;

import com.google.common.base.Preconditions;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * A table read through a lookup function (a database query, a service call) behind a bounded
 * Caffeine cache per task, for enrichment data too large or too remote to hold as state. Immutable;
 * the loader must be thread-safe (tasks call it concurrently) and return {@code null} for a missing key.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class LookupTable<K, V> {

    private final String name;
    private final Function<? super K, ? extends V> loader;
    private final long maximumSize;
    private final long expireAfterWriteMs;

    private LookupTable(String name, Function<? super K, ? extends V> loader, long maximumSize, long expireAfterWriteMs) {
        this.name = name;
        this.loader = loader;
        this.maximumSize = maximumSize;
        this.expireAfterWriteMs = expireAfterWriteMs;
    }

    /** A lookup table caching up to 10,000 entries per task, which never expire. */
    public static <K, V> LookupTable<K, V> of(String name, Function<? super K, ? extends V> loader) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(loader, "loader");
        return new LookupTable<>(name, loader, 10_000, 0);
    }

    /** At most {@code entries} cached per task; the least useful are evicted first. */
    public LookupTable<K, V> withMaximumSize(long entries) {
        Preconditions.checkArgument(entries > 0, "maximum size must be positive, was %s", entries);
        return new LookupTable<>(name, loader, entries, expireAfterWriteMs);
    }

    /** Cached entries are loaded again after {@code ttl}, so changes in the source show up. */
    public LookupTable<K, V> withExpireAfterWrite(Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        Preconditions.checkArgument(ttl.toMillis() > 0, "expiry must be at least 1 ms, was %s", ttl);
        return new LookupTable<>(name, loader, maximumSize, ttl.toMillis());
    }

    public String name() {
        return name;
    }

    public Function<? super K, ? extends V> loader() {
        return loader;
    }

    public long maximumSize() {
        return maximumSize;
    }

    /** 0 for never. */
    public long expireAfterWriteMs() {
        return expireAfterWriteMs;
    }

    @Override
    public String toString() {
        return "lookup " + name + " (cache " + maximumSize + ")";
    }
}
