package io.runnel.log;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Appends records to a {@link Log}. Thread-safe: share one producer between threads.
 *
 * <p>Each send serializes and validates on the caller's thread and then publishes to the log's
 * append ring; a serializer that throws, an unknown topic, a bad partition or a too-large record
 * fail that call alone (an exception from {@code send}, nothing written). The returned future
 * completes when the record is acknowledged under the log's {@link Durability}, or exceptionally
 * with {@link DurabilityFailureException}, {@link StorageFailureException} or
 * {@link LogClosedException}. Futures complete on the log's journal thread (or, under
 * {@link Durability#fsync()}, its forcer thread), which also runs the callbacks chained to them
 * ({@code whenComplete}, {@code thenAccept}): keep callbacks short and do not block in them. Waiting
 * there for a send ({@link #flush()}, {@code get()} or {@code join()} of a send's future not done
 * yet, a send into a full ring) would wait for that very thread, so it throws
 * {@link IllegalStateException} at once; {@link #close()} there closes without flushing. Use the
 * {@code ...Async(action, executor)} forms to run blocking work elsewhere. Futures complete in the
 * order of the appends, and their callbacks run in that order, except that a thread waiting in
 * {@code get()} or {@code join()} may run the callbacks of the future it waited for itself (as
 * {@link CompletableFuture} does), concurrently with later ones.
 *
 * <p>Partition choice: the explicit partition if set, else murmur3_32 of the serialized key mod
 * the partition count, else (no key) round robin per producer.
 *
 * @param <K> key type
 * @param <V> value type
 */
public interface Producer<K, V> extends AutoCloseable {

    /**
     * Sends one record with the clock's timestamp and no headers.
     *
     * @throws BackpressureTimeoutException if the ring stayed full for the configured timeout
     * @throws RecordTooLargeException      if the record exceeds {@link LogConfig#maxRecordBytes()}
     * @throws SerializationException       if a serde throws
     * @throws UnknownTopicException        if the topic does not exist
     */
    CompletableFuture<RecordMetadata> send(String topic, K key, V value);

    /** Sends one record; see {@link #send(String, Object, Object)} for the failures. */
    CompletableFuture<RecordMetadata> send(ProducerRecord<K, V> record);

    /**
     * Sends records in one go (one ring claim per run of records that fit, so they tend to share
     * a batch). All records are serialized and validated first: if any fails, the call throws and
     * nothing is sent. The futures are in the order of {@code records}.
     */
    List<CompletableFuture<RecordMetadata>> sendAll(List<ProducerRecord<K, V>> records);

    /**
     * Waits until every record sent before this call is acknowledged or failed.
     *
     * @throws IllegalStateException if called in a callback on the log's thread (see above)
     */
    void flush();

    /**
     * Flushes, then refuses further sends. Does not close the log. In a callback on the log's
     * thread it closes without flushing (and logs a warning), as Kafka's producer does.
     */
    @Override
    void close();
}
