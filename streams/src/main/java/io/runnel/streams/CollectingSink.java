package io.runnel.streams;

import io.runnel.streams.connect.DeliveryGuarantee;
import io.runnel.streams.connect.Sink;
import io.runnel.streams.connect.SinkContext;
import io.runnel.streams.connect.SinkWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A sink that keeps results in memory, for tests: records become visible in {@link #records()} only
 * when the checkpoint that covers them completes (two-phase, like a transactional sink), so a
 * stopped job shows exactly its committed output. Holds everything it receives: small jobs only.
 * Thread-safe; the records of one writer keep their order.
 *
 * @param <T> the record type
 */
public final class CollectingSink<T> implements Sink<T> {

    private final String name;
    private final AtomicLong tokens = new AtomicLong();
    private final Map<Long, List<T>> staged = new HashMap<>();
    private final List<T> committed = new ArrayList<>();

    private CollectingSink(String name) {
        this.name = name;
    }

    public static <T> CollectingSink<T> named(String name) {
        return new CollectingSink<>(Objects.requireNonNull(name, "name"));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public DeliveryGuarantee guarantee() {
        return DeliveryGuarantee.EXACTLY_ONCE;
    }

    /** The committed records so far. */
    public synchronized List<T> records() {
        return new ArrayList<>(committed);
    }

    /** Forgets everything committed so far. */
    public synchronized void clear() {
        committed.clear();
    }

    @Override
    public SinkWriter<T> open(SinkContext context) {
        return new SinkWriter<>() {
            private List<T> pending = new ArrayList<>();

            @Override
            public void write(T record) {
                pending.add(record);
            }

            @Override
            public byte[] prepareCommit(long checkpointId) {
                long token = tokens.incrementAndGet();
                synchronized (CollectingSink.this) {
                    staged.put(token, pending);
                }
                pending = new ArrayList<>();
                return ByteBuffer.allocate(8).putLong(token).array();
            }

            @Override
            public void commit(long checkpointId, byte[] committable) {
                long token = ByteBuffer.wrap(committable).getLong();
                synchronized (CollectingSink.this) {
                    List<T> batch = staged.remove(token);
                    if (batch != null) {
                        committed.addAll(batch);
                    }
                }
            }

            @Override
            public void close() {
            }
        };
    }
}
