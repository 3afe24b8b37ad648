package io.runnel.connectors.log;

import io.runnel.connectors.internal.PositionCodec;
import io.runnel.log.Consumer;
import io.runnel.log.ConsumerConfig;
import io.runnel.log.ConsumerRecord;
import io.runnel.log.Log;
import io.runnel.log.RunnelLogException;
import io.runnel.log.Serde;
import io.runnel.log.Serdes;
import io.runnel.log.TopicPartition;
import io.runnel.streams.connect.ConnectorException;
import io.runnel.streams.connect.SourceOutput;
import io.runnel.streams.connect.SourceReader;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;

/**
 * Reads one partition through a raw-bytes consumer and decodes values itself, so one bad value is
 * reported as malformed instead of failing the poll. Not thread-safe.
 */
final class LogPartitionReader<T> implements SourceReader<T> {
    private final Log log;
    private final TopicPartition partition;
    private final Serde<T> serde;
    private final long end; // bounded end offset (exclusive), or -1
    private final Consumer<byte[], byte[]> consumer;
    private Iterator<ConsumerRecord<byte[], byte[]>> fetched = List.<ConsumerRecord<byte[], byte[]>>of().iterator();
    private long next;

    LogPartitionReader(Log log, TopicPartition partition, Serde<T> serde, long next, long end) {
        this.log = log;
        this.partition = partition;
        this.serde = serde;
        this.next = next;
        this.end = end;
        this.consumer = log.consumer(Serdes.bytes(), Serdes.bytes(),
                ConsumerConfig.defaults().withAutoCommit(false));
        try {
            consumer.assign(List.of(partition));
            checkNotDeleted();
            consumer.seek(partition, next);
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
    }

    @Override
    public Status poll(SourceOutput<T> output, int maxRecords, Duration timeout) {
        if (end >= 0 && next >= end) {
            return Status.END;
        }
        int delivered = 0;
        try {
            if (!fetched.hasNext()) {
                fetched = consumer.poll(timeout).records(partition).iterator();
            }
            while (delivered < maxRecords && fetched.hasNext()) {
                ConsumerRecord<byte[], byte[]> record = fetched.next();
                if (record.offset() < next) {
                    continue; // already delivered (cannot happen after a seek, but never deliver twice)
                }
                if (record.offset() > next) {
                    checkNotDeleted(); // a gap: compaction is fine, retention deleting unread records is not
                }
                if (end >= 0 && record.offset() >= end) {
                    next = end;
                    break;
                }
                next = record.offset() + 1; // before delivery: the runtime may describe the position of the record in flight
                deliver(record, output);
                delivered++;
            }
        } catch (RunnelLogException e) {
            throw new ConnectorException(LogSource.CONNECTOR + ": cannot read " + partition + " at offset " + next + ": " + e.getMessage(), e);
        }
        if (delivered > 0) {
            return Status.MORE;
        }
        return end >= 0 && next >= end ? Status.END : Status.CAUGHT_UP;
    }

    // The consumer resets a position below the start to the start; a source must not skip silently.
    private void checkNotDeleted() {
        long start = log.startOffset(partition);
        if (next < start) {
            throw new ConnectorException(LogSource.CONNECTOR + ": " + partition + " no longer holds offset " + next + " (it starts at " + start
                    + "; retention deleted records the job had not read: restart the job without its checkpoint, or keep records longer)");
        }
    }

    private void deliver(ConsumerRecord<byte[], byte[]> record, SourceOutput<T> output) {
        T value;
        try {
            value = serde.deserialize(record.value());
        } catch (RuntimeException e) {
            output.malformed(partition.topic() + "/" + partition.partition() + "@" + record.offset(), record.value(), e);
            return;
        }
        output.collect(value, record.timestampMs());
    }

    @Override
    public byte[] position() {
        return PositionCodec.encode(next, end);
    }

    /** The record in flight: the last one delivered, as {@code topic/partition@offset}. */
    @Override
    public String describePosition() {
        return partition.topic() + "/" + partition.partition() + "@" + (next - 1);
    }

    @Override
    public boolean hasBacklog() {
        return fetched.hasNext() || next < (end >= 0 ? end : log.endOffset(partition));
    }

    @Override
    public void close() {
        consumer.close();
    }
}
