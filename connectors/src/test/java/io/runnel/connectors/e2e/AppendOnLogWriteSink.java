package io.runnel.connectors.e2e;

import io.runnel.log.Log;
import io.runnel.log.Producer;
import io.runnel.log.Serdes;
import io.runnel.streams.connect.DeliveryGuarantee;
import io.runnel.streams.connect.Sink;
import io.runnel.streams.connect.SinkContext;
import io.runnel.streams.connect.SinkWriter;

/**
 * A deliberately broken log sink for the exactly-once checker: appends each record as it is
 * written, with a plain producer. Replays after a crash append their records again, which the
 * checker must see as duplicates.
 */
final class AppendOnLogWriteSink implements Sink<String> {
    private final Log log;

    AppendOnLogWriteSink(Log log) {
        this.log = log;
    }

    @Override
    public String name() {
        return "append-on-write";
    }

    @Override
    public DeliveryGuarantee guarantee() {
        return DeliveryGuarantee.AT_LEAST_ONCE;
    }

    @Override
    public SinkWriter<String> open(SinkContext context) {
        Producer<String, String> producer = log.producer(Serdes.string(), Serdes.string());
        return new SinkWriter<>() {
            @Override
            public void write(String id) {
                producer.send("ids", null, id).join();
            }

            @Override
            public byte[] prepareCommit(long checkpointId) {
                return new byte[0];
            }

            @Override
            public void commit(long checkpointId, byte[] committable) {
            }

            @Override
            public void close() {
                producer.close();
            }
        };
    }
}
