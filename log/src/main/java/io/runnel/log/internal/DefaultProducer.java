package io.runnel.log.internal;

import com.google.common.hash.Hashing;
import io.runnel.log.InvalidPartitionException;
import io.runnel.log.LogClosedException;
import io.runnel.log.Producer;
import io.runnel.log.ProducerConfig;
import io.runnel.log.ProducerRecord;
import io.runnel.log.RecordMetadata;
import io.runnel.log.RecordTooLargeException;
import io.runnel.log.Serde;
import io.runnel.log.SerializationException;
import io.runnel.log.format.BatchBuilder;
import io.runnel.log.format.HeadersCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@link Producer}: serializes and validates on the caller's thread, then publishes to the
 * journal's ring. Thread-safe. Records without key or explicit partition go round robin over the
 * topic's partitions (one counter per producer).
 */
final class DefaultProducer<K, V> implements Producer<K, V> {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DefaultProducer.class);

    private final DiskLog log;
    private final Journal journal;
    private final Serde<K> keySerde;
    private final Serde<V> valueSerde;
    private final long producerId;
    private final int maxRecordBytes;
    private final AtomicInteger roundRobin = new AtomicInteger();
    private volatile boolean closed;

    DefaultProducer(DiskLog log, Journal journal, Serde<K> keySerde, Serde<V> valueSerde, ProducerConfig config) {
        this.log = log;
        this.journal = journal;
        this.keySerde = Objects.requireNonNull(keySerde, "keySerde");
        this.valueSerde = Objects.requireNonNull(valueSerde, "valueSerde");
        this.producerId = config.isIdempotent() ? producerIdOf(config.producerId()) : -1;
        this.maxRecordBytes = log.context().config.maxRecordBytes();
    }

    /** The 63-bit id stored in batch headers for an idempotent producer's name. */
    static long producerIdOf(String name) {
        return Hashing.murmur3_128().hashString(name, StandardCharsets.UTF_8).asLong() & Long.MAX_VALUE;
    }

    @Override
    public CompletableFuture<RecordMetadata> send(String topic, K key, V value) {
        checkOpen();
        DiskLog.TopicState t = log.topicState(topic);
        byte[] k = serialize(keySerde, key, "key", topic);
        byte[] v = serialize(valueSerde, value, "value", topic);
        checkSize(topic, k, v, null);
        PartitionLog p = t.partitions[choosePartition(t, null, k)];
        return journal.append(p, log.context().nowMs(), k, v, null, producerId, -1);
    }

    @Override
    public CompletableFuture<RecordMetadata> send(ProducerRecord<K, V> r) {
        checkOpen();
        DiskLog.TopicState t = log.topicState(r.topic());
        byte[] k = serialize(keySerde, r.key(), "key", r.topic());
        byte[] v = serialize(valueSerde, r.value(), "value", r.topic());
        byte[] h = HeadersCodec.encode(r.headers());
        checkSize(r.topic(), k, v, h);
        PartitionLog p = t.partitions[choosePartition(t, r.partition(), k)];
        long seq = sequenceOf(r);
        long ts = r.timestampMs() != null ? r.timestampMs() : log.context().nowMs();
        return journal.append(p, ts, k, v, h, producerId, seq);
    }

    @Override
    public List<CompletableFuture<RecordMetadata>> sendAll(List<ProducerRecord<K, V>> records) {
        checkOpen();
        int n = records.size();
        PartitionLog[] parts = new PartitionLog[n];
        long[] ts = new long[n];
        byte[][] keys = new byte[n][];
        byte[][] values = new byte[n][];
        byte[][] headers = new byte[n][];
        long[] seqs = producerId >= 0 ? new long[n] : null;
        long now = log.context().nowMs();
        for (int i = 0; i < n; i++) {
            ProducerRecord<K, V> r = records.get(i);
            DiskLog.TopicState t = log.topicState(r.topic());
            keys[i] = serialize(keySerde, r.key(), "key", r.topic());
            values[i] = serialize(valueSerde, r.value(), "value", r.topic());
            headers[i] = HeadersCodec.encode(r.headers());
            checkSize(r.topic(), keys[i], values[i], headers[i]);
            parts[i] = t.partitions[choosePartition(t, r.partition(), keys[i])];
            ts[i] = r.timestampMs() != null ? r.timestampMs() : now;
            if (seqs != null) {
                seqs[i] = sequenceOf(r);
            }
        }
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>(n);
        journal.appendAll(parts, ts, keys, values, headers, producerId, seqs, futures);
        return futures;
    }

    private long sequenceOf(ProducerRecord<K, V> r) {
        if (r.sequence() == null) {
            return -1;
        }
        if (producerId < 0) {
            throw new IllegalArgumentException("record has a sequence but the producer is not idempotent"
                    + " (create it with ProducerConfig.idempotent(producerId))");
        }
        return r.sequence();
    }

    private int choosePartition(DiskLog.TopicState t, Integer explicit, byte[] key) {
        int n = t.partitions.length;
        if (explicit != null) {
            if (explicit >= n) {
                throw new InvalidPartitionException("partition " + explicit + " does not exist: topic '" + t.name
                        + "' has partitions 0.." + (n - 1) + " (use a partition below " + n + ")");
            }
            return explicit;
        }
        if (key != null) {
            return (Hashing.murmur3_32_fixed().hashBytes(key).asInt() & Integer.MAX_VALUE) % n;
        }
        return (roundRobin.getAndIncrement() & Integer.MAX_VALUE) % n;
    }

    private <T> byte[] serialize(Serde<T> serde, T value, String what, String topic) {
        try {
            return serde.serialize(value);
        } catch (SerializationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new SerializationException("cannot serialize the " + what + " of a record for topic '" + topic + "': "
                    + e + " (fix the serde or the value; nothing was sent)", e);
        }
    }

    private void checkSize(String topic, byte[] k, byte[] v, byte[] h) {
        int size = BatchBuilder.recordSizeUpperBound(k, v, h);
        if (size > maxRecordBytes) {
            throw new RecordTooLargeException("record too large for topic '" + topic + "': sizeInBytes=" + size
                    + ", maxRecordBytes=" + maxRecordBytes + " (raise LogConfig.maxRecordBytes or send smaller values;"
                    + " nothing was written)");
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new LogClosedException("the producer is closed: create a new one with Log.producer(...)");
        }
    }

    @Override
    public void flush() {
        if (journal.isClosed()) {
            return;
        }
        AppendFuture.checkMayWait("Producer.flush()");
        try {
            journal.barrier().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.runnel.log.RunnelLogException("interrupted while flushing", e);
        } catch (ExecutionException e) {
            throw new io.runnel.log.RunnelLogException("flush failed: " + e.getCause(), e.getCause());
        } catch (LogClosedException e) {
            // closed concurrently: everything queued was completed by the close
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (AppendFuture.onCompletingThread()) {
                // From a callback: flushing would wait for this very thread. Like Kafka's producer, close
                // without waiting; what was sent is still written and acknowledged.
                LOG.warn("Producer.close() called from a send callback on the log's {} thread: closed without"
                        + " flushing (flush or close from a thread of your own to wait for the sends)",
                        Thread.currentThread().getName());
                return;
            }
            flush();
        }
    }
}
