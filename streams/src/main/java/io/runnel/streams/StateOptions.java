package io.runnel.streams;

import com.google.common.base.Preconditions;
import java.time.Duration;
import java.util.Objects;

/**
 * Options of a stateful operator: its stable name (state in checkpoints is keyed by it, so keep it
 * when the job changes) and an optional time-to-live for its keyed state. Immutable.
 */
public final class StateOptions {

    private static final StateOptions DEFAULTS = new StateOptions(null, 0);

    private final String name;
    private final long ttlMs;

    private StateOptions(String name, long ttlMs) {
        this.name = name;
        this.ttlMs = ttlMs;
    }

    /** No name (a deterministic one is derived from the plan) and no time-to-live. */
    public static StateOptions defaults() {
        return DEFAULTS;
    }

    /** Options with a stable, user-given operator name (letters, digits, {@code - _ . : /}). */
    public static StateOptions named(String name) {
        return DEFAULTS.withName(name);
    }

    public StateOptions withName(String newName) {
        Objects.requireNonNull(newName, "name");
        Preconditions.checkArgument(!newName.isBlank() && newName.matches("[A-Za-z0-9_.:/#@-]+"),
                "operator name must be non-empty and use only letters, digits and - _ . : / # @, was '%s'", newName);
        return new StateOptions(newName, ttlMs);
    }

    /**
     * Keyed state not written or read for {@code ttl} of processing time is dropped (per key), so
     * per-key state does not grow forever. Applies to {@code process} state and tables.
     */
    public StateOptions withTtl(Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        Preconditions.checkArgument(ttl.toMillis() > 0, "ttl must be at least 1 ms, was %s", ttl);
        return new StateOptions(name, ttl.toMillis());
    }

    /** The user-given name, or {@code null}. */
    public String name() {
        return name;
    }

    /** Time-to-live in milliseconds, 0 for none. */
    public long ttlMs() {
        return ttlMs;
    }
}
