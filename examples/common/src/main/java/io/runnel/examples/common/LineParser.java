package io.runnel.examples.common;

/**
 * Turns an input line into an event. Must be thread-safe (every reader of the source uses it) and
 * deterministic.
 *
 * @param <T> the event type
 */
@FunctionalInterface
public interface LineParser<T> {

    /**
     * The event on {@code line}.
     *
     * @throws MalformedLineException naming what is wrong, if the line is not a valid event
     */
    T parse(InputLine line) throws MalformedLineException;
}
