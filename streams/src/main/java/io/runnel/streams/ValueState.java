package io.runnel.streams;

/**
 * One value per key, scoped to the key of the record or timer being processed. Checkpointed;
 * used only from the task thread of its processor.
 *
 * <p>A value changed in place counts only once it is passed to {@link #update}: with
 * {@link JobConfig#withStateMemoryLimit} values live in files and {@link #value()} may return a copy.
 *
 * @param <V> value type (serialized with Kryo in checkpoints)
 */
public interface ValueState<V> {

    /** The current key's value, or {@code null} (none, or expired by the time-to-live). */
    V value();

    /** The current key's value, or {@code defaultValue}. */
    default V valueOr(V defaultValue) {
        V v = value();
        return v == null ? defaultValue : v;
    }

    /** Sets the current key's value; {@code null} clears it. */
    void update(V value);

    /** Removes the current key's value. */
    void clear();
}
