package io.runnel.log;

/**
 * Turns values of type {@code T} into bytes and back. Implementations must be thread-safe and
 * deterministic: the same value always gives the same bytes, so keys hash to the same partition
 * across restarts.
 *
 * <p>A serde reports bad input by throwing {@link SerializationException}; a {@code null} value
 * is passed through as {@code null} bytes (a tombstone in a compacted topic).
 *
 * @param <T> the value type
 */
public interface Serde<T> {

    /** Encodes {@code value}; returns {@code null} for a {@code null} value. */
    byte[] serialize(T value);

    /** Decodes {@code bytes}; returns {@code null} for {@code null} bytes. */
    T deserialize(byte[] bytes);
}
