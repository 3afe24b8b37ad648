package io.runnel.connectors.generator;

import io.runnel.connectors.TimeSource;
import io.runnel.connectors.internal.PositionCodec;
import io.runnel.streams.connect.ConnectorException;
import io.runnel.streams.connect.SourceOutput;
import io.runnel.streams.connect.SourceReader;
import java.time.Duration;

/** Reads one generator split; paces itself against the source's time source. Not thread-safe. */
final class GeneratorReader<T> implements SourceReader<T> {
    private final GeneratorSource<T> source;
    private final int split;
    private final long end;
    private final TimeSource time;
    private final double nanosPerEvent;
    private final long startNanos;
    private final long startSequence;
    private long next;

    GeneratorReader(GeneratorSource<T> source, int split, long next, long end) {
        this.source = source;
        this.split = split;
        this.next = next;
        this.end = end;
        this.time = source.time();
        double rate = source.splitRatePerSecond();
        this.nanosPerEvent = rate > 0 ? 1e9 / rate : 0;
        this.startNanos = time.nanoTime();
        this.startSequence = next;
    }

    @Override
    public Status poll(SourceOutput<T> output, int maxRecords, Duration timeout) {
        if (next >= end) {
            return Status.END;
        }
        long budget = Math.min(maxRecords, end - next);
        if (nanosPerEvent > 0) {
            long due = dueCount();
            if (due <= 0 && !waitForNextEvent(timeout)) {
                return Status.CAUGHT_UP;
            }
            budget = Math.min(budget, Math.max(1, dueCount()));
        }
        for (long i = 0; i < budget; i++) {
            T event = source.event(split, next);
            next++; // before collect: the runtime may describe the position of the record in flight
            output.collect(event, source.timestampOf(event));
        }
        return Status.MORE;
    }

    // Events due now at the target rate since this reader opened, minus those already produced.
    private long dueCount() {
        double elapsed = time.nanoTime() - startNanos;
        return (long) (elapsed / nanosPerEvent) + 1 - (next - startSequence);
    }

    /** Sleeps until the next event is due, if that is within {@code timeout}; false if not. */
    private boolean waitForNextEvent(Duration timeout) {
        long dueAt = startNanos + (long) ((next - startSequence) * nanosPerEvent);
        long wait = dueAt - time.nanoTime();
        long limit = timeout.toNanos();
        try {
            if (wait > limit) {
                time.sleepNanos(limit);
                return false;
            }
            time.sleepNanos(wait);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException("generator split " + split + " interrupted while pacing", e);
        }
    }

    @Override
    public byte[] position() {
        return PositionCodec.encode(next);
    }

    /** The record in flight: the last event generated. */
    @Override
    public String describePosition() {
        return "split " + split + " event " + (next - 1);
    }

    @Override
    public boolean hasBacklog() {
        return next < end && (nanosPerEvent == 0 || dueCount() > 0);
    }

    @Override
    public void close() {
        // nothing held
    }
}
