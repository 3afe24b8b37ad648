package io.runnel.log.internal;

/**
 * Deliberately broken variants for the reliability tests, which show each oracle can fail
 * (RELIABILITY.md). Never set outside tests: they break durability and integrity guarantees.
 */
public final class TestHooks {
    private TestHooks() {
    }

    /** Acknowledge before forcing under FSYNC (then force): an ack-before-force bug. */
    public static void ackBeforeForce(boolean on) {
        Journal.ackBeforeForceForTesting = on;
    }

    /** Skip the CRC32C check in the batch decoder: an integrity bug. */
    public static void skipCrcCheck(boolean on) {
        io.runnel.log.format.RecordBatch.skipCrcForTesting(on);
    }

    /** Treat every tail as torn, ignoring the recovery point: the silent-cut bug Kafka has. */
    public static void ignoreRecoveryPoint(boolean on) {
        LogLoader.ignoreRecoveryPointForTesting = on;
    }

    /**
     * Rebuild idempotent producers' state from the active segment only, ignoring snapshots: the bug
     * that appended a duplicate whose original sits in a closed segment.
     */
    public static void ignoreProducerSnapshots(boolean on) {
        LogLoader.ignoreProducerSnapshotsForTesting = on;
    }

    /** Compaction keeps the oldest record per key instead of the latest. */
    public static void compactionKeepsOldest(boolean on) {
        Cleaner.keepOldestForTesting = on;
    }

    /** Retention ages segments by their records' timestamps (Kafka's way), not by append time. */
    public static void retentionByRecordTimestamp(boolean on) {
        Cleaner.retentionByRecordTimeForTesting = on;
    }
}
