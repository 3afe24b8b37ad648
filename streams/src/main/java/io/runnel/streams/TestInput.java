package io.runnel.streams;

import io.runnel.streams.internal.runtime.SourceOperator;
import java.time.Instant;
import java.util.Objects;

/**
 * One source of a job under {@link JobTestDriver}: send records with explicit timestamps, move the
 * watermark, mark the input idle or end it. Every call runs the job synchronously until the effect
 * is complete (windows fired, timers run). Returns itself for chaining.
 *
 * @param <T> the source's record type
 */
public final class TestInput<T> {

    private final JobTestDriver driver;
    private final String name;
    private final SourceOperator.Split split;

    TestInput(JobTestDriver driver, String name, SourceOperator.Split split) {
        this.driver = driver;
        this.name = name;
        this.split = split;
    }

    /** Sends {@code record} with the driver's current processing time as its source timestamp. */
    public TestInput<T> send(T record) {
        return send(record, driver.processingTimeMs());
    }

    /**
     * Sends {@code record} with source timestamp {@code timestampMs} (the job's event-time function, if
     * any, decides the record's time), then advances this input's watermark as the time strategy says.
     */
    public TestInput<T> send(T record, long timestampMs) {
        driver.beforeSend(name);
        split.collect(record, timestampMs);
        split.refresh(driver.processingTimeMs());
        driver.afterAction();
        return this;
    }

    /** As {@link #send(Object, long)} with an {@link Instant}. */
    public TestInput<T> send(T record, Instant timestamp) {
        return send(record, Objects.requireNonNull(timestamp, "timestamp").toEpochMilli());
    }

    /** Sends each record in order, each with the timestamp {@code timestampMs} gives it. */
    public TestInput<T> sendAll(Iterable<? extends T> records, java.util.function.ToLongFunction<? super T> timestampMs) {
        for (T r : records) {
            send(r, timestampMs.applyAsLong(r));
        }
        return this;
    }

    /** Reports an undecodable record at {@code where}, as a source would; the bad-data policy handles it. */
    public TestInput<T> sendMalformed(String where, byte[] raw, Throwable reason) {
        driver.beforeSend(name);
        split.malformed(where, raw, reason);
        driver.afterAction();
        return this;
    }

    /** Raises this input's watermark to at least {@code watermarkMs} (never lowers it). */
    public TestInput<T> advanceWatermarkTo(long watermarkMs) {
        split.advanceWatermark(watermarkMs, driver.processingTimeMs());
        driver.afterAction();
        return this;
    }

    /** Marks this input idle: it stops holding the watermark back until it gets a record. */
    public TestInput<T> markIdle() {
        split.markIdle();
        driver.afterAction();
        return this;
    }

    /** Ends this input (a bounded source's end): its watermark becomes +infinity. */
    public void end() {
        split.end();
        driver.afterAction();
    }
}
