package io.runnel.streams.connect;

import java.util.Objects;

/**
 * A reader that wraps another reader of the same split, for sources that wrap sources (timing,
 * parsing, filtering): {@link #position()}, {@link #describePosition()}, {@link #hasBacklog()} and
 * {@link #close()} go to the wrapped reader, so positions stay the wrapped source's and a
 * checkpoint of the wrapper restores through the wrapped source. A subclass writes
 * {@link #poll} (usually calling the wrapped reader's) and overrides what else differs.
 *
 * @param <T> the record type this reader delivers
 */
public abstract class ForwardingSourceReader<T> implements SourceReader<T> {

    /** The wrapped reader; its record type may differ from this one's. */
    protected final SourceReader<?> delegate;

    protected ForwardingSourceReader(SourceReader<?> delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public byte[] position() {
        return delegate.position();
    }

    @Override
    public String describePosition() {
        return delegate.describePosition();
    }

    @Override
    public boolean hasBacklog() {
        return delegate.hasBacklog();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
