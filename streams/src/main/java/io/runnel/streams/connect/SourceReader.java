package io.runnel.streams.connect;

import java.time.Duration;

/**
 * Reads one split in order. Used by a single task thread; not thread-safe.
 *
 * @param <T> the record type
 */
public interface SourceReader<T> extends AutoCloseable {

    /** What a {@link #poll} call found. */
    enum Status {
        /** At least one record (or malformed record) was delivered; call again. */
        MORE,
        /** Nothing was available within the timeout: the reader is caught up (it may become idle). */
        CAUGHT_UP,
        /** A bounded split has no more records; do not call {@code poll} again. */
        END
    }

    /**
     * Delivers up to {@code maxRecords} records to {@code output}, waiting up to {@code timeout} for
     * the first one (without busy-spinning). A record that cannot be decoded is reported through
     * {@link SourceOutput#malformed}, never thrown, so the job's bad-data policy decides.
     *
     * @throws ConnectorException on an I/O failure of the underlying store (not for bad records)
     */
    Status poll(SourceOutput<T> output, int maxRecords, Duration timeout);

    /**
     * The position after the last record delivered, to store in a checkpoint; opening the split at
     * this position continues with the next record. The runtime calls it between polls (at
     * checkpoints) and once after {@link Status#END}, before closing the reader.
     */
    byte[] position();

    /**
     * The position of the record being delivered, for people: {@code "page-views/3@1742"},
     * {@code "events.jsonl:17"}. The runtime calls it only on a failure (a user function throwing, a
     * sink rejecting) to name where the record came from; called from within
     * {@link SourceOutput#collect} it should describe the record being collected, otherwise the last
     * record delivered. The default shows the {@link #position()} bytes in hex.
     */
    default String describePosition() {
        return "position 0x" + java.util.HexFormat.of().formatHex(position());
    }

    /** Whether the split has unread records right now (a split with a backlog is never idle). */
    default boolean hasBacklog() {
        return false;
    }

    @Override
    void close();
}
