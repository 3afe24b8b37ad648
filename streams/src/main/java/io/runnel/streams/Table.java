package io.runnel.streams;

import io.runnel.streams.internal.graph.KeyByNode;

/**
 * A keyed, continuously updated view of a stream: the latest record per key (a {@code null} from the
 * stream deletes nothing; map to a tombstone yourself). Used to enrich other streams with
 * {@link KeyedStream#join(Table, java.util.function.BiFunction)}. Its contents are keyed state of the
 * joining operator: checkpointed, split by key group, with the time-to-live of its options.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class Table<K, V> {

    final StreamJob job;
    final KeyByNode node;
    final StateOptions options;

    Table(StreamJob job, KeyByNode node, StateOptions options) {
        this.job = job;
        this.node = node;
        this.options = options;
    }
}
