package io.runnel.benchmarks.runnel;

import io.runnel.streams.connect.ForwardingSourceReader;
import io.runnel.streams.connect.Source;
import io.runnel.streams.connect.SourceContext;
import io.runnel.streams.connect.SourceOutput;
import io.runnel.streams.connect.SourceReader;
import io.runnel.streams.connect.SourceSplit;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A source that records when any of its readers was first polled ({@link System#nanoTime}), so a
 * run can report its processing time without its start-up. Delegates everything else unchanged.
 * Thread-safe as its delegate is.
 */
final class FirstPollSource<T> implements Source<T> {

    private final Source<T> delegate;
    private final AtomicLong firstPollNanos;

    FirstPollSource(Source<T> delegate, AtomicLong firstPollNanos) {
        this.delegate = delegate;
        this.firstPollNanos = firstPollNanos;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public boolean isBounded() {
        return delegate.isBounded();
    }

    @Override
    public List<SourceSplit> splits() {
        return delegate.splits();
    }

    @Override
    public SourceReader<T> open(SourceSplit split, SourceContext context) {
        SourceReader<T> reader = delegate.open(split, context);
        return new ForwardingSourceReader<>(reader) {
            @Override
            public Status poll(SourceOutput<T> output, int maxRecords, Duration timeout) {
                if (firstPollNanos.get() == 0) {
                    firstPollNanos.compareAndSet(0, System.nanoTime());
                }
                return reader.poll(output, maxRecords, timeout);
            }
        };
    }
}
