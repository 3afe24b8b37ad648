package io.runnel.log;

/**
 * A record's key or value could not be deserialized by the consumer's serdes. Carries where the
 * record lives so the caller can dead-letter it and {@link Consumer#seek} past it; the consumer's
 * position stays at this record.
 */
public class RecordDecodeException extends RunnelLogException {
    private static final long serialVersionUID = 1L;
    private final TopicPartition partition;
    private final long offset;

    public RecordDecodeException(TopicPartition partition, long offset, Throwable cause) {
        super("cannot deserialize record " + partition + " offset=" + offset + ": " + cause.getMessage()
                + " (fix the serde, or dead-letter the record and seek to offset " + (offset + 1) + ")", cause);
        this.partition = partition;
        this.offset = offset;
    }

    public TopicPartition partition() {
        return partition;
    }

    public long offset() {
        return offset;
    }
}
