package io.runnel.examples.common;

import io.runnel.log.Consumer;
import io.runnel.log.ConsumerConfig;
import io.runnel.log.ConsumerRecord;
import io.runnel.log.Log;
import io.runnel.log.Serde;
import io.runnel.log.Serdes;
import io.runnel.log.TopicPartition;
import io.runnel.streams.connect.Source;
import io.runnel.streams.connect.SourceContext;
import io.runnel.streams.connect.SourceOutput;
import io.runnel.streams.connect.SourceReader;
import io.runnel.streams.connect.SourceSplit;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A log topic read bounded: each partition up to the end offset it had when the job first started
 * (the end is part of the position, so a restarted job reads to the same end).
 *
 * <p>Stand-in until the connectors' {@code LogSource} lands; the examples switch to it then.
 *
 * @param <T> value type
 */
final class TopicSource<T> implements Source<T> {

    private final Log log;
    private final String topic;
    private final Serde<T> serde;

    TopicSource(Log log, String topic, Serde<T> serde) {
        this.log = log;
        this.topic = topic;
        this.serde = serde;
    }

    @Override
    public String name() {
        return "log:" + topic;
    }

    @Override
    public boolean isBounded() {
        return true;
    }

    @Override
    public List<SourceSplit> splits() {
        List<SourceSplit> splits = new ArrayList<>();
        for (int p = 0; p < log.partitionCount(topic); p++) {
            TopicPartition tp = new TopicPartition(topic, p);
            splits.add(new SourceSplit(Integer.toString(p), position(log.startOffset(tp), log.endOffset(tp))));
        }
        return splits;
    }

    private static byte[] position(long next, long end) {
        return ByteBuffer.allocate(16).putLong(next).putLong(end).array();
    }

    @Override
    public SourceReader<T> open(SourceSplit split, SourceContext context) {
        ByteBuffer pos = ByteBuffer.wrap(split.position());
        TopicPartition tp = new TopicPartition(topic, Integer.parseInt(split.id()));
        long start = pos.getLong();
        long end = pos.getLong();
        Consumer<byte[], byte[]> consumer = log.consumer(Serdes.bytes(), Serdes.bytes(), ConsumerConfig.defaults().withAutoCommit(false));
        consumer.assign(List.of(tp));
        consumer.seek(tp, start);
        return new SourceReader<>() {
            private final ArrayDeque<ConsumerRecord<byte[], byte[]>> buffered = new ArrayDeque<>();
            private long next = start;
            private long delivering = -1;

            @Override
            public Status poll(SourceOutput<T> output, int maxRecords, Duration timeout) {
                if (next >= end) {
                    return Status.END;
                }
                if (buffered.isEmpty()) {
                    consumer.poll(timeout).forEach(buffered::add);
                    if (buffered.isEmpty()) {
                        return Status.CAUGHT_UP;
                    }
                }
                for (int n = 0; n < maxRecords && next < end && !buffered.isEmpty(); n++) {
                    ConsumerRecord<byte[], byte[]> r = buffered.poll();
                    delivering = r.offset();
                    next = r.offset() + 1;
                    T value;
                    try {
                        value = serde.deserialize(r.value());
                    } catch (RuntimeException e) {
                        output.malformed(describePosition(), r.value(), e);
                        continue;
                    }
                    output.collect(value, r.timestampMs());
                }
                return Status.MORE;
            }

            @Override
            public byte[] position() {
                return TopicSource.position(next, end);
            }

            @Override
            public String describePosition() {
                return tp + "@" + (delivering >= 0 ? delivering : next);
            }

            @Override
            public boolean hasBacklog() {
                return next < end;
            }

            @Override
            public void close() {
                consumer.close();
            }
        };
    }
}
