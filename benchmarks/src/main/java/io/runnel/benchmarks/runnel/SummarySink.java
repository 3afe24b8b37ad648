package io.runnel.benchmarks.runnel;

import io.runnel.streams.connect.DeliveryGuarantee;
import io.runnel.streams.connect.Sink;
import io.runnel.streams.connect.SinkContext;
import io.runnel.streams.connect.SinkWriter;
import java.util.function.Consumer;

/**
 * The no-op sink of the stream benchmarks: it hands each result to a thread-safe summary for the
 * check and keeps nothing else.
 */
final class SummarySink<T> implements Sink<T> {

    private final String name;
    private final Consumer<? super T> summary;

    SummarySink(String name, Consumer<? super T> summary) {
        this.name = name;
        this.summary = summary;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public DeliveryGuarantee guarantee() {
        return DeliveryGuarantee.AT_LEAST_ONCE;
    }

    @Override
    public SinkWriter<T> open(SinkContext context) {
        return new SinkWriter<>() {
            @Override
            public void write(T record) {
                summary.accept(record);
            }

            @Override
            public byte[] prepareCommit(long checkpointId) {
                return new byte[0];
            }

            @Override
            public void commit(long checkpointId, byte[] committable) {}

            @Override
            public void close() {}
        };
    }
}
