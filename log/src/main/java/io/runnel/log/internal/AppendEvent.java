package io.runnel.log.internal;

import io.runnel.log.RecordMetadata;
import java.util.concurrent.CompletableFuture;

/**
 * A preallocated ring slot: one append request (already serialized and validated on the
 * producer's thread), a barrier (flush) or a task to run on the journal thread. Producers fill it
 * between claim and publish; the journal clears it after use so the ring retains no garbage.
 */
final class AppendEvent {
    static final int APPEND = 0;
    static final int BARRIER = 1;
    static final int TASK = 2;

    int type;
    PartitionLog partition;
    long timestampMs;
    byte[] key;
    byte[] value;
    byte[] headers;
    long producerId;
    long sequence;
    CompletableFuture<RecordMetadata> future;
    Runnable task;
    CompletableFuture<Void> done;

    void clear() {
        partition = null;
        key = null;
        value = null;
        headers = null;
        future = null;
        task = null;
        done = null;
    }
}
