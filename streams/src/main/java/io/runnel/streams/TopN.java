package io.runnel.streams;

import java.util.List;

/**
 * The most frequent items of a window, most frequent first; items with equal counts are ordered by
 * the item's natural order, ascending, so the result is deterministic.
 *
 * @param entries at most N entries
 * @param <V>     item type
 */
public record TopN<V>(List<Entry<V>> entries) {

    public TopN {
        entries = List.copyOf(entries);
    }

    /** One item and how often it occurred in the window. */
    public record Entry<V>(V item, long count) {
    }
}
