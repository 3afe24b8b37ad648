package io.runnel.log;

/**
 * Receives records from {@link Consumer#poll(java.time.Duration, RecordHandler)} one at a time,
 * as a {@link RecordView} valid only during the call.
 *
 * @param <K> key type
 * @param <V> value type
 */
@FunctionalInterface
public interface RecordHandler<K, V> {

    /**
     * Handles one record. The consumer's position moves past the record when this returns; if it
     * throws, the poll stops and rethrows, and the position stays at this record (the next poll
     * hands it out again: seek past it to skip it).
     *
     * <p>The handler may call the consumer's {@code seek} methods (the poll then stops handing out
     * that partition's records; the next poll reads from the new position) and its commits (which
     * commit the positions as they are: before this record). {@code poll}, {@code assign},
     * {@code subscribe} and {@code close} throw {@link IllegalStateException} here.
     */
    void onRecord(RecordView<K, V> record);
}
