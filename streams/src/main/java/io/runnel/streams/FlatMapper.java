package io.runnel.streams;

import java.util.function.Consumer;

/**
 * Turns one record into zero or more, handing each to {@code out} (no collection per record).
 *
 * @param <T> input type
 * @param <R> output type
 */
@FunctionalInterface
public interface FlatMapper<T, R> {
    void flatMap(T value, Consumer<R> out);
}
