package io.runnel.log;

/**
 * A consumer asked for an offset outside {@code [startOffset, endOffset]} of a partition, for
 * example one deleted by retention, and its {@link ConsumerConfig#autoOffsetReset()} is
 * {@link ConsumerConfig.AutoOffsetReset#NONE}.
 */
public class OffsetOutOfRangeException extends RunnelLogException {
    private static final long serialVersionUID = 1L;
    private final TopicPartition partition;
    private final long offset;
    private final long startOffset;
    private final long endOffset;

    public OffsetOutOfRangeException(TopicPartition partition, long offset, long startOffset, long endOffset) {
        super("offset out of range: " + partition + " offset=" + offset + ", valid range is [" + startOffset + ", "
                + endOffset + "] (records below the start were deleted by retention or compaction; seek to the start, "
                + "or set ConsumerConfig.autoOffsetReset to EARLIEST or LATEST)");
        this.partition = partition;
        this.offset = offset;
        this.startOffset = startOffset;
        this.endOffset = endOffset;
    }

    public TopicPartition partition() {
        return partition;
    }

    public long offset() {
        return offset;
    }

    public long startOffset() {
        return startOffset;
    }

    public long endOffset() {
        return endOffset;
    }
}
