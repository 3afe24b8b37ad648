package io.runnel.streams.connect;

/**
 * Where a job's results go. Each task that feeds the sink opens its own {@link SinkWriter}.
 *
 * <p>Checkpoint protocol (two-phase, the same for every sink):
 * <ol>
 *   <li>{@link SinkWriter#write} buffers or writes records as they come.</li>
 *   <li>At a checkpoint barrier the runtime calls {@link SinkWriter#prepareCommit}: the writer makes
 *       everything written so far durable or staged and returns a <em>committable</em> (bytes the
 *       checkpoint stores, e.g. the names of staged files).</li>
 *   <li>Once the checkpoint is complete (written atomically with every task's state), the runtime
 *       calls {@link SinkWriter#commit} with those bytes: the writer publishes them.</li>
 *   <li>After a crash, the runtime restores the last complete checkpoint and calls {@code commit}
 *       again with its committables before writing anything new; {@code commit} must therefore be
 *       idempotent. Records after that checkpoint are replayed by the sources. When the job restarts
 *       with another parallelism, a committable may be committed by a writer of another task index,
 *       so a committable must carry everything needed to publish it (e.g. full staged-file names),
 *       not rely on the writer that prepared it.</li>
 * </ol>
 * A sink that publishes in {@code prepareCommit} (or on write) and relies on replays being harmless
 * (upserts on deterministic keys) is exactly-once for final results; one that appends without
 * staging is at-least-once. {@link #guarantee()} says which.
 *
 * @param <T> the record type the sink accepts
 */
public interface Sink<T> {

    /** Stable name, unique within a job; keys the sink's committables in checkpoints. */
    String name();

    /** What a job gets across crashes when it writes here. */
    DeliveryGuarantee guarantee();

    /**
     * Opens the writer of one task.
     *
     * @throws ConnectorException if the destination cannot be reached or written (names it and the fix)
     */
    SinkWriter<T> open(SinkContext context);
}
