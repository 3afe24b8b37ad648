package io.runnel.log;

/** What the background cleaner does with a topic's closed segments. */
public enum CleanupPolicy {
    /** Delete whole closed segments beyond the retention age or size. */
    DELETE,
    /** Keep only the latest record per key (a null value is a tombstone that removes the key). */
    COMPACT
}
