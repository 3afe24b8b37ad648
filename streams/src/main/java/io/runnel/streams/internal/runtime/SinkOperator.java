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
            if (e.records().isEmpty()) {
                ctx.failed(counters, name, value, timestampMs, e);
                return;
            }
            // a batching writer refused records of its batch: this one, earlier ones, or both
            boolean thisOne = rejected(e, value, timestampMs);
            if (thisOne) {
                return;
            }
        }
        counters.out++;
    }

    /**
     * Applies the bad-data policy to each record a batching writer refused (see
     * {@link RejectedRecordException#records()}); earlier records were counted as written and are
     * not any more. Returns whether {@code current} is among them.
     */
    private boolean rejected(RejectedRecordException e, Object current, long timestampMs) {
        boolean currentRefused = false;
        for (Object refused : e.records()) {
            if (refused == current) {
                currentRefused = true;
            } else {
                counters.out--;
            }
            ctx.failed(counters, name, refused, timestampMs, e);
        }
        return currentRefused;
    }

    public boolean isDeadLetterSink() {
        return deadLetterSink;
    }

    @Override
    public void watermark(long watermarkMs) {
        counters.watermark = watermarkMs;
    }

    @Override
    public void idle(boolean idle) {
    }

    public byte[] prepareCommit(long checkpointId) {
        byte[] c;
        while (true) {
            try {
                c = writer.prepareCommit(checkpointId);
                break;
            } catch (RejectedRecordException e) {
                // the writer flushed its last batch and refused some of it; the rest is written, and
                // prepareCommit is called again (the dead letters reach the dead-letter sink, which is
                // prepared after the other sinks, within this checkpoint)
                if (deadLetterSink || e.records().isEmpty()) {
                    throw new io.runnel.streams.JobFailedException("sink '" + name + "' refused records at checkpoint " + checkpointId
                            + (e.records().isEmpty() ? " without naming them" : "") + ": " + e, e);
                }
                rejected(e, null, Long.MIN_VALUE);
            }
        }
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
