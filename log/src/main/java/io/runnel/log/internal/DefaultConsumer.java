package io.runnel.log.internal;

import io.runnel.log.Consumer;
import io.runnel.log.ConsumerConfig;
import io.runnel.log.ConsumerRecord;
import io.runnel.log.ConsumerRecords;
import io.runnel.log.Headers;
import io.runnel.log.InvalidConfigException;
import io.runnel.log.LogClosedException;
import io.runnel.log.OffsetOutOfRangeException;
import io.runnel.log.RebalanceInProgressException;
import io.runnel.log.RebalanceListener;
import io.runnel.log.RecordDecodeException;
import io.runnel.log.RecordHandler;
import io.runnel.log.RecordView;
import io.runnel.log.RunnelLogException;
import io.runnel.log.Serde;
import io.runnel.log.TopicPartition;
import io.runnel.log.UnknownTopicException;
import io.runnel.log.format.RecordCursor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The {@link Consumer}. Not thread-safe (one thread at a time), except {@link #wakeup()}.
 * Waits for data by parking; the journal unparks registered waiters when it publishes.
 */
final class DefaultConsumer<K, V> implements Consumer<K, V> {
    private static final long MAX_PARK_NANOS = 50_000_000L; // re-check group changes at least this often

    private final DiskLog log;
    private final GroupCoordinator coordinator;
    private final Serde<K> keySerde;
    private final Serde<V> valueSerde;
    private final ConsumerConfig config;
    private final Map<TopicPartition, PartitionReader> readers = new LinkedHashMap<>();
    private final Set<TopicPartition> pendingAcquire = new LinkedHashSet<>();
    private String memberId;
    private RebalanceListener listener;
    private int generation = -1;
    private boolean subscribed;
    private boolean closed;
    private volatile boolean wakeup;
    private volatile Thread pollThread;
    private long lastAutoCommitNanos = System.nanoTime();
    private int rotate;
    private final View view = new View();
    private boolean handling; // a RecordHandler runs: poll, assign, subscribe and close would pull the reader from under it

    DefaultConsumer(DiskLog log, GroupCoordinator coordinator, Serde<K> keySerde, Serde<V> valueSerde,
            ConsumerConfig config) {
        this.log = log;
        this.coordinator = coordinator;
        this.keySerde = Objects.requireNonNull(keySerde, "keySerde");
        this.valueSerde = Objects.requireNonNull(valueSerde, "valueSerde");
        this.config = config;
    }

    /** Refuses a call that would change the readers while a record handler runs on one of them. */
    private void checkNotHandling(String call) {
        if (handling) {
            throw new IllegalStateException(call + " inside RecordHandler.onRecord: return from the handler first"
                    + " (seek and commit may be called there)");
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new LogClosedException("the consumer is closed: create a new one with Log.consumer(...)");
        }
        if (log.isClosed()) {
            throw new LogClosedException("the log in " + log.directory() + " is closed");
        }
    }

    @Override
    public void assign(Collection<TopicPartition> partitions) {
        checkOpen();
        checkNotHandling("assign");
        if (subscribed) {
            throw new IllegalStateException("this consumer subscribed to topics; assign() and subscribe() do not mix"
                    + " (use another consumer)");
        }
        Set<TopicPartition> wanted = new LinkedHashSet<>(partitions);
        for (TopicPartition tp : wanted) {
            log.partition(tp); // validates topic and partition
        }
        for (TopicPartition tp : new ArrayList<>(readers.keySet())) {
            if (!wanted.contains(tp)) {
                readers.remove(tp).close();
            }
        }
        for (TopicPartition tp : wanted) {
            if (!readers.containsKey(tp)) {
                readers.put(tp, new PartitionReader(log.partition(tp), initialPosition(tp)));
            }
        }
    }

    private long initialPosition(TopicPartition tp) {
        PartitionLog p = log.partition(tp);
        if (config.groupId() != null) {
            OptionalLong c = coordinator.committed(config.groupId(), tp);
            if (c.isPresent()) {
                return c.getAsLong();
            }
        }
        return switch (config.autoOffsetReset()) {
            case EARLIEST -> p.startOffset();
            case LATEST -> p.endOffset();
            case NONE -> -1; // no position: poll fails with OffsetOutOfRangeException until a seek
        };
    }

    @Override
    public void subscribe(Collection<String> topics) {
        subscribe(topics, new RebalanceListener() { });
    }

    @Override
    public void subscribe(Collection<String> topics, RebalanceListener listener) {
        checkOpen();
        checkNotHandling("subscribe");
        if (config.groupId() == null) {
            throw new InvalidConfigException("subscribe needs a group: create the consumer with"
                    + " ConsumerConfig.group(\"my-group\") (or use assign)");
        }
        if (!readers.isEmpty() && !subscribed) {
            throw new IllegalStateException("this consumer has assigned partitions; assign() and subscribe() do not mix");
        }
        if (memberId != null) {
            revoke(new ArrayList<>(readers.keySet()));
            coordinator.leave(config.groupId(), memberId);
        }
        this.listener = Objects.requireNonNull(listener, "listener");
        this.subscribed = true;
        this.memberId = coordinator.join(config.groupId(), List.copyOf(topics));
        this.generation = -1;
    }

    private void maybeRebalance() {
        GroupCoordinator.Assignment a = coordinator.assignment(config.groupId(), memberId);
        if (a.generation() != generation) {
            generation = a.generation();
            List<TopicPartition> revoked = new ArrayList<>();
            for (TopicPartition tp : readers.keySet()) {
                if (!a.partitions().contains(tp)) {
                    revoked.add(tp);
                }
            }
            if (!revoked.isEmpty()) {
                revoke(revoked);
            }
            pendingAcquire.retainAll(a.partitions());
            for (TopicPartition tp : a.partitions()) {
                if (!readers.containsKey(tp)) {
                    pendingAcquire.add(tp);
                }
            }
        }
        if (!pendingAcquire.isEmpty()) {
            List<TopicPartition> got = new ArrayList<>();
            for (TopicPartition tp : pendingAcquire) {
                if (coordinator.tryAcquire(config.groupId(), memberId, tp)) {
                    try {
                        readers.put(tp, new PartitionReader(log.partition(tp), initialPosition(tp)));
                        got.add(tp);
                    } catch (UnknownTopicException e) {
                        coordinator.release(config.groupId(), memberId, List.of(tp));
                    }
                }
            }
            pendingAcquire.removeAll(got);
            if (!got.isEmpty()) {
                listener.onPartitionsAssigned(List.copyOf(got));
            }
        }
    }

    private void revoke(List<TopicPartition> revoked) {
        if (config.autoCommit() && !log.isReadOnly()) {
            Map<TopicPartition, Long> offsets = new HashMap<>();
            for (TopicPartition tp : revoked) {
                PartitionReader r = readers.get(tp);
                if (r != null && !r.partition.isDeleted()) {
                    offsets.put(tp, r.position());
                }
            }
            if (!offsets.isEmpty()) {
                coordinator.commit(config.groupId(), offsets);
            }
        }
        listener.onPartitionsRevoked(List.copyOf(revoked));
        for (TopicPartition tp : revoked) {
            PartitionReader r = readers.remove(tp);
            if (r != null) {
                r.close();
            }
        }
        coordinator.release(config.groupId(), memberId, revoked);
    }

    @Override
    public ConsumerRecords<K, V> poll(Duration timeout) {
        return pollUntil(timeout, this::fetch, ConsumerRecords.empty());
    }

    @Override
    public int poll(Duration timeout, RecordHandler<K, V> handler) {
        Objects.requireNonNull(handler, "handler");
        return pollUntil(timeout, () -> fetch(handler), 0);
    }

    /**
     * Fetches until {@code fetch} returns something (non-null), the timeout passes, the consumer
     * is woken up or the log closes ({@code none} then).
     */
    private <R> R pollUntil(Duration timeout, Supplier<R> fetch, R none) {
        checkOpen();
        checkNotHandling("poll");
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        Thread me = Thread.currentThread();
        pollThread = me;
        try {
            while (true) {
                if (subscribed) {
                    maybeRebalance();
                    maybeAutoCommit();
                }
                R got = fetch.get();
                if (got != null) {
                    return got;
                }
                if (wakeup) {
                    wakeup = false;
                    return none;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || log.isClosed()) {
                    return none;
                }
                // Register, re-check (a publish between the check and the park leaves a permit), park.
                for (PartitionReader r : readers.values()) {
                    r.partition.addWaiter(me);
                }
                try {
                    boolean any = false;
                    for (PartitionReader r : readers.values()) {
                        any |= r.hasData();
                    }
                    if (!any && !wakeup) {
                        LockSupport.parkNanos(this, Math.min(left, MAX_PARK_NANOS));
                    }
                } finally {
                    for (PartitionReader r : readers.values()) {
                        r.partition.removeWaiter(me);
                    }
                }
            }
        } finally {
            pollThread = null;
        }
    }

    /**
     * The readers to fetch from now, starting at a rotating one (fairness): those with records to
     * read or a position to reset. A deleted partition is skipped by a subscriber (the rebalance
     * that follows the deletion drops it) and an error for an assigning consumer.
     */
    private List<PartitionReader> readersToFetch() {
        List<PartitionReader> all = new ArrayList<>(readers.values());
        int n = all.size();
        int start = Math.floorMod(rotate++, n);
        List<PartitionReader> rs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            PartitionReader r = all.get((start + i) % n);
            if (r.partition.isDeleted()) {
                if (subscribed) {
                    continue;
                }
                throw new UnknownTopicException("topic '" + r.partition.tp.topic() + "' was deleted while "
                        + r.partition.tp + " was assigned to this consumer (assign other partitions)");
            }
            if (r.hasData() || r.position() < r.partition.startOffset()) {
                rs.add(r);
            }
        }
        return rs;
    }

    /** Hands records of the assigned partitions to {@code handler} (fairly); null if there were none. */
    private Integer fetch(RecordHandler<K, V> handler) {
        if (readers.isEmpty()) {
            return null;
        }
        int max = config.maxPollRecords();
        int total = 0;
        for (PartitionReader r : readersToFetch()) {
            if (total >= max) {
                break;
            }
            try {
                total += handle(r, max - total, handler);
            } catch (OffsetOutOfRangeException e) {
                handleOutOfRange(r, e);
            } catch (IOException e) {
                throw new RunnelLogException("reading " + r.partition.tp + " failed: " + e, e);
            }
        }
        return total == 0 ? null : total;
    }

    /** Hands up to {@code max} records of {@code r} to {@code handler}, through the reused view. */
    private int handle(PartitionReader r, int max, RecordHandler<K, V> handler) throws IOException {
        long end = r.visibleEnd();
        View v = view;
        int count = 0;
        RecordCursor c;
        try {
            while (count < max && (c = r.peek(end)) != null) {
                v.open(r.partition.tp, c);
                handling = true;
                try {
                    handler.onRecord(v);
                } finally {
                    handling = false;
                }
                count++;
                if (!r.take()) {
                    break; // the handler moved the position (seek): the next poll reads from there
                }
            }
        } finally {
            v.close();
        }
        return count;
    }

    /** Records from the assigned partitions, fairly (rotating start), or null if none. */
    private ConsumerRecords<K, V> fetch() {
        if (readers.isEmpty()) {
            return null;
        }
        int max = config.maxPollRecords();
        Map<TopicPartition, List<ConsumerRecord<K, V>>> out = new LinkedHashMap<>();
        int total = 0;
        for (PartitionReader r : readersToFetch()) {
            if (total >= max) {
                break;
            }
            try {
                total += decode(r, max - total, out);
            } catch (OffsetOutOfRangeException e) {
                handleOutOfRange(r, e);
            } catch (RecordDecodeException e) {
                if (!out.isEmpty()) {
                    break; // hand out what came before; the bad record is first in the next poll
                }
                throw e;
            } catch (IOException e) {
                throw new RunnelLogException("reading " + r.partition.tp + " failed: " + e, e);
            }
        }
        return out.isEmpty() ? null : new ConsumerRecords<>(out);
    }

    /**
     * Decodes up to {@code max} records of {@code r} into a list of {@code out} (added with its
     * first record, sized once). The per-record loop: kept in one method, the reader's common case
     * inlined into it.
     */
    private int decode(PartitionReader r, int max, Map<TopicPartition, List<ConsumerRecord<K, V>>> out)
            throws IOException {
        long end = r.visibleEnd();
        TopicPartition tp = r.partition.tp;
        String topic = tp.topic();
        int partition = tp.partition();
        List<ConsumerRecord<K, V>> list = null;
        int count = 0;
        RecordCursor c;
        while (count < max && (c = r.peek(end)) != null) {
            K k = deserialize(keySerde, c.keyCopy(), tp, c.offset());
            V v = deserialize(valueSerde, c.valueCopy(), tp, c.offset());
            if (list == null) {
                list = new ArrayList<>(Math.min(max, 8192));
                out.put(tp, list);
            }
            list.add(new ConsumerRecord<>(topic, partition, c.offset(), c.timestamp(), k, v, c.headers()));
            r.take();
            count++;
        }
        return count;
    }

    /** {@code serde}'s object of a record's key or value bytes, a serde failure reported with where the record is. */
    private static <T> T deserialize(Serde<T> serde, byte[] bytes, TopicPartition tp, long offset) {
        try {
            return serde.deserialize(bytes);
        } catch (RuntimeException e) {
            throw new RecordDecodeException(tp, offset, e);
        }
    }

    private void handleOutOfRange(PartitionReader r, OffsetOutOfRangeException e) {
        switch (config.autoOffsetReset()) {
            case EARLIEST -> r.seek(r.partition.startOffset());
            case LATEST -> r.seek(r.partition.endOffset());
            default -> throw e;
        }
    }

    private void maybeAutoCommit() {
        if (config.autoCommit() && !log.isReadOnly()
                && System.nanoTime() - lastAutoCommitNanos >= config.autoCommitInterval().toNanos()) {
            lastAutoCommitNanos = System.nanoTime();
            commitSync();
        }
    }

    private PartitionReader reader(TopicPartition tp) {
        PartitionReader r = readers.get(tp);
        if (r == null) {
            throw new IllegalStateException(tp + " is not assigned to this consumer (assignment: " + readers.keySet()
                    + ")");
        }
        return r;
    }

    @Override
    public void seek(TopicPartition tp, long offset) {
        checkOpen();
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0, was " + offset);
        }
        reader(tp).seek(offset);
    }

    @Override
    public void seekToBeginning(Collection<TopicPartition> partitions) {
        checkOpen();
        for (TopicPartition tp : partitions) {
            PartitionReader r = reader(tp);
            r.seek(r.partition.startOffset());
        }
    }

    @Override
    public void seekToEnd(Collection<TopicPartition> partitions) {
        checkOpen();
        for (TopicPartition tp : partitions) {
            PartitionReader r = reader(tp);
            r.seek(r.partition.endOffset());
        }
    }

    @Override
    public void seekToTimestamp(TopicPartition tp, long timestampMs) {
        checkOpen();
        PartitionReader r = reader(tp);
        try {
            r.seek(DiskLog.offsetForTimestamp(r.partition, timestampMs).orElse(r.partition.endOffset()));
        } catch (IOException e) {
            throw new RunnelLogException("cannot search " + tp + " by timestamp: " + e, e);
        }
    }

    @Override
    public long position(TopicPartition tp) {
        checkOpen();
        return reader(tp).position();
    }

    @Override
    public void commitSync() {
        checkOpen();
        requireGroup();
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (Map.Entry<TopicPartition, PartitionReader> e : readers.entrySet()) {
            if (!e.getValue().partition.isDeleted()) {
                offsets.put(e.getKey(), e.getValue().position());
            }
        }
        if (!offsets.isEmpty()) {
            coordinator.commit(config.groupId(), offsets);
        }
    }

    @Override
    public void commit(Map<TopicPartition, Long> offsets) {
        checkOpen();
        requireGroup();
        if (subscribed) {
            for (TopicPartition tp : offsets.keySet()) {
                if (!readers.containsKey(tp)) {
                    // A member that lost the partition must not move the offsets its new owner reads from.
                    throw new RebalanceInProgressException("cannot commit " + tp + " for group '" + config.groupId()
                            + "': this member no longer owns it after a rebalance (owned now: " + readers.keySet()
                            + "); commit in RebalanceListener.onPartitionsRevoked instead");
                }
            }
        }
        coordinator.commit(config.groupId(), offsets);
    }

    private void requireGroup() {
        if (config.groupId() == null) {
            throw new InvalidConfigException("committing needs a group: create the consumer with"
                    + " ConsumerConfig.group(\"my-group\")");
        }
    }

    @Override
    public OptionalLong committed(TopicPartition tp) {
        checkOpen();
        requireGroup();
        return coordinator.committed(config.groupId(), tp);
    }

    @Override
    public Set<TopicPartition> assignment() {
        return Set.copyOf(readers.keySet());
    }

    @Override
    public void wakeup() {
        wakeup = true;
        Thread t = pollThread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    @Override
    public void close() {
        checkNotHandling("close");
        if (closed) {
            return;
        }
        try {
            if (subscribed && memberId != null && !log.isClosed()) {
                try {
                    revoke(new ArrayList<>(readers.keySet()));
                } finally {
                    coordinator.leave(config.groupId(), memberId);
                }
            }
        } finally {
            closed = true;
            for (PartitionReader r : readers.values()) {
                r.close();
            }
            readers.clear();
        }
    }

    /**
     * The {@link RecordView} of this consumer: one object, pointed at the cursor's current record
     * while a handler runs, closed (its accessors refuse) as soon as it returns.
     */
    private final class View implements RecordView<K, V> {
        private TopicPartition tp;
        private RecordCursor cursor;
        private ByteBuffer source; // the cursor's buffer that the read-only buffers below view
        private int sourceLimit;
        private ByteBuffer readOnly; // buffer(): position and limit left as they are
        private ByteBuffer keyBuffer; // keyBuffer(): position and limit set on the key
        private ByteBuffer valueBuffer; // valueBuffer(): position and limit set on the value

        void open(TopicPartition tp, RecordCursor cursor) {
            this.tp = tp;
            this.cursor = cursor;
        }

        void close() {
            cursor = null;
        }

        private RecordCursor cursor() {
            RecordCursor c = cursor;
            if (c == null) {
                throw new IllegalStateException("a RecordView is valid only inside RecordHandler.onRecord: copy what"
                        + " you keep (toRecord(), key(), value())");
            }
            return c;
        }

        @Override
        public String topic() {
            cursor();
            return tp.topic();
        }

        @Override
        public int partition() {
            cursor();
            return tp.partition();
        }

        @Override
        public long offset() {
            return cursor().offset();
        }

        @Override
        public long timestampMs() {
            return cursor().timestamp();
        }

        @Override
        public ByteBuffer buffer() {
            return views(cursor());
        }

        /**
         * The read-only buffers, made again when the reader's buffer is another or was refilled
         * (same object, new limit), or a handler narrowed {@link #buffer()}.
         */
        private ByteBuffer views(RecordCursor c) {
            ByteBuffer b = c.buffer();
            if (b != source || b.limit() != sourceLimit || readOnly.limit() != sourceLimit) {
                source = b;
                sourceLimit = b.limit();
                readOnly = b.asReadOnlyBuffer();
                keyBuffer = b.asReadOnlyBuffer();
                valueBuffer = b.asReadOnlyBuffer();
            }
            return readOnly;
        }

        @Override
        public ByteBuffer keyBuffer() {
            RecordCursor c = cursor();
            views(c);
            return field(keyBuffer, c.keyPosition(), c.keyLength());
        }

        @Override
        public ByteBuffer valueBuffer() {
            RecordCursor c = cursor();
            views(c);
            return field(valueBuffer, c.valuePosition(), c.valueLength());
        }

        /** {@code b} with its position and limit around the field; null for a null field. */
        private static ByteBuffer field(ByteBuffer b, int at, int length) {
            return length < 0 ? null : b.limit(at + length).position(at);
        }

        @Override
        public int keyPosition() {
            return cursor().keyPosition();
        }

        @Override
        public int keyLength() {
            return cursor().keyLength();
        }

        @Override
        public int valuePosition() {
            return cursor().valuePosition();
        }

        @Override
        public int valueLength() {
            return cursor().valueLength();
        }

        @Override
        public K key() {
            RecordCursor c = cursor();
            return deserialize(keySerde, c.keyCopy(), tp, c.offset());
        }

        @Override
        public V value() {
            RecordCursor c = cursor();
            return deserialize(valueSerde, c.valueCopy(), tp, c.offset());
        }

        @Override
        public Headers headers() {
            return cursor().headers();
        }

        @Override
        public ConsumerRecord<K, V> toRecord() {
            RecordCursor c = cursor();
            return new ConsumerRecord<>(tp.topic(), tp.partition(), c.offset(), c.timestamp(), key(), value(),
                    c.headers());
        }
    }
}
