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
     * dead-letter it; other failures are {@link ConnectorException}s.
     */
    void write(T record);

    /**
     * Makes everything written so far durable or staged for checkpoint {@code checkpointId} and
     * returns what {@link #commit} needs to publish it (empty if nothing; never {@code null}).
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
