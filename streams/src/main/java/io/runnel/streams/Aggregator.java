package io.runnel.streams;

import java.util.Objects;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * An incremental aggregation over a window's events: an accumulator starts from {@link #init()},
 * takes each event through {@link #add}, and gives the window's value through {@link #result}.
 * Session windows also {@link #merge} two accumulators when an event bridges two sessions.
 *
 * <p>{@code add} and {@code merge} may mutate and return their first argument (cheaper) or return a
 * new accumulator. Accumulators are kept in checkpoints (serialized with Kryo), so they must be plain
 * data: no threads, streams or open resources. Used by one task thread at a time.
 *
 * @param <T> event type
 * @param <A> accumulator type
 * @param <R> result type
 */
public interface Aggregator<T, A, R> {

    /** A fresh, empty accumulator. */
    A init();

    /** Adds one event; returns the updated accumulator. */
    A add(A accumulator, T event);

    /**
     * Combines two accumulators (session windows). The default throws; session windows refuse an
     * aggregator that does not override it, when the plan is built.
     */
    default A merge(A first, A second) {
        throw new UnsupportedOperationException("this aggregator cannot merge accumulators");
    }

    /** Whether {@link #merge} is implemented. */
    default boolean canMerge() {
        return false;
    }

    /** The window's value from its accumulator; must not change the accumulator. */
    R result(A accumulator);

    /** An aggregator from functions, without merge (not usable with session windows). */
    static <T, A, R> Aggregator<T, A, R> of(Supplier<A> init, java.util.function.BiFunction<A, ? super T, A> add,
                                           Function<? super A, ? extends R> result) {
        Objects.requireNonNull(init, "init");
        Objects.requireNonNull(add, "add");
        Objects.requireNonNull(result, "result");
        return new Aggregator<>() {
            @Override public A init() { return init.get(); }
            @Override public A add(A acc, T event) { return add.apply(acc, event); }
            @Override public R result(A acc) { return result.apply(acc); }
        };
    }

    /** An aggregator from functions, with merge (usable with every window kind). */
    static <T, A, R> Aggregator<T, A, R> of(Supplier<A> init, java.util.function.BiFunction<A, ? super T, A> add,
                                           BinaryOperator<A> merge, Function<? super A, ? extends R> result) {
        Objects.requireNonNull(init, "init");
        Objects.requireNonNull(add, "add");
        Objects.requireNonNull(merge, "merge");
        Objects.requireNonNull(result, "result");
        return new Aggregator<>() {
            @Override public A init() { return init.get(); }
            @Override public A add(A acc, T event) { return add.apply(acc, event); }
            @Override public A merge(A a, A b) { return merge.apply(a, b); }
            @Override public boolean canMerge() { return true; }
            @Override public R result(A acc) { return result.apply(acc); }
        };
    }
}
