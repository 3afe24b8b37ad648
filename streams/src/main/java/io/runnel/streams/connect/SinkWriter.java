package io.runnel.streams.connect;

/**
 * One task's writer. Used by a single task thread; not thread-safe. See {@link Sink} for the
 * checkpoint protocol.
 *
 * @param <T> the record type
 */
public interface SinkWriter<T> extends AutoCloseable {

    /**
     * Accepts one record. A record the destination rejects for its content (a constraint, a value
     * too long) is reported with {@link RejectedRecordException} so the job's bad-data policy can
     * dead-letter it; other failures are {@link ConnectorException}s. A writer may block while its
     * destination is unavailable (that is backpressure), holding a bounded amount of memory.
     * A batching writer may report records passed to earlier calls (see
     * {@link RejectedRecordException#records()}); the writer stays usable after the exception.
     */
    void write(T record);

    /**
     * Makes everything written so far durable or staged for checkpoint {@code checkpointId} and
     * returns what {@link #commit} needs to publish it (empty if nothing; never {@code null}).
     * A batching writer may throw {@link RejectedRecordException} here for records of its last
     * batch; everything else is then written, and the runtime, after applying its bad-data policy
     * to the listed records, calls {@code prepareCommit} again for the same checkpoint.
     */
    byte[] prepareCommit(long checkpointId);

    /**
     * Publishes what {@link #prepareCommit} staged for {@code checkpointId}. Idempotent: after a
     * restart it may be called again with the same bytes.
     */
    void commit(long checkpointId, byte[] committable);

    /** Releases resources; uncommitted writes are not published. */
    @Override
    void close();
}
