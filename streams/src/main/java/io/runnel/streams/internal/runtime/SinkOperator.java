package io.runnel.streams.internal.runtime;

import io.runnel.streams.connect.RejectedRecordException;
import io.runnel.streams.connect.SinkWriter;

/**
 * Writes records to one task's {@link SinkWriter}; a record the sink rejects goes through the
 * bad-data policy. Checkpoints call {@link #prepareCommit} and later {@link #commit}.
 */
public final class SinkOperator extends OneInputOperator {

    private final SinkWriter<Object> writer;
    private final boolean deadLetterSink;

    public SinkOperator(String name, SinkWriter<Object> writer, boolean deadLetterSink) {
        super(name);
        this.writer = writer;
        this.deadLetterSink = deadLetterSink;
    }

    @Override
    public void record(Object value, long timestampMs) {
        counters.in++;
        try {
            writer.write(value);
        } catch (RejectedRecordException e) {
            if (deadLetterSink) {
                // a dead letter the dead-letter sink refuses cannot be dead-lettered again
                throw new io.runnel.streams.JobFailedException("dead-letter sink '" + name + "' rejected " + value + ": " + e, e);
            }
            ctx.failed(counters, name, value, timestampMs, e);
            return;
        }
        counters.out++;
    }

    @Override
    public void watermark(long watermarkMs) {
        counters.watermark = watermarkMs;
    }

    @Override
    public void idle(boolean idle) {
    }

    public byte[] prepareCommit(long checkpointId) {
        byte[] c = writer.prepareCommit(checkpointId);
        if (c == null) {
            throw new IllegalStateException("sink '" + name + "' returned null from prepareCommit (return an empty array)");
        }
        return c;
    }

    public void commit(long checkpointId, byte[] committable) {
        writer.commit(checkpointId, committable);
    }

    @Override
    public void close() {
        writer.close();
    }
}
