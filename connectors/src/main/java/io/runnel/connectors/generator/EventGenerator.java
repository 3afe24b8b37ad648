package io.runnel.connectors.generator;

import java.util.SplittableRandom;

/**
 * Makes the synthetic event number {@code sequence} of split {@code split}. Must be a pure function
 * of its arguments (use only {@code random}, which is seeded from the source's seed, the split and
 * the sequence), so a restarted reader produces exactly the same events again.
 *
 * @param <T> the event type
 */
@FunctionalInterface
public interface EventGenerator<T> {

    T generate(int split, long sequence, SplittableRandom random);
}
