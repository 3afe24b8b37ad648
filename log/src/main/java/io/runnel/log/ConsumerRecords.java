package io.runnel.log;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The records one {@link Consumer#poll} returned, grouped by partition (each partition's records in
 * offset order). Immutable once returned.
 */
public final class ConsumerRecords<K, V> implements Iterable<ConsumerRecord<K, V>> {
    private static final ConsumerRecords<?, ?> EMPTY = new ConsumerRecords<>(Map.of());
    private final Map<TopicPartition, List<ConsumerRecord<K, V>>> records;
    private final int count;

    /** Wraps {@code records} (not copied; the caller must not modify it afterwards). */
    public ConsumerRecords(Map<TopicPartition, List<ConsumerRecord<K, V>>> records) {
        this.records = records;
        int n = 0;
        for (List<ConsumerRecord<K, V>> l : records.values()) {
            n += l.size();
        }
        this.count = n;
    }

    @SuppressWarnings("unchecked") // the empty instance holds no K or V
    public static <K, V> ConsumerRecords<K, V> empty() {
        return (ConsumerRecords<K, V>) EMPTY;
    }

    /** Number of records. */
    public int count() {
        return count;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** Partitions that have records in this poll. */
    public Set<TopicPartition> partitions() {
        return Collections.unmodifiableSet(records.keySet());
    }

    /** The records of {@code partition}, in offset order (empty if none). */
    public List<ConsumerRecord<K, V>> records(TopicPartition partition) {
        List<ConsumerRecord<K, V>> l = records.get(partition);
        return l == null ? List.of() : Collections.unmodifiableList(l);
    }

    /** All records as one list, partition by partition. */
    public List<ConsumerRecord<K, V>> asList() {
        List<ConsumerRecord<K, V>> all = new ArrayList<>(count);
        for (List<ConsumerRecord<K, V>> l : records.values()) {
            all.addAll(l);
        }
        return all;
    }

    @Override
    public Iterator<ConsumerRecord<K, V>> iterator() {
        return new Iterator<>() {
            private final Iterator<List<ConsumerRecord<K, V>>> lists = records.values().iterator();
            private Iterator<ConsumerRecord<K, V>> current = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && lists.hasNext()) {
                    current = lists.next().iterator();
                }
                return current.hasNext();
            }

            @Override
            public ConsumerRecord<K, V> next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                return current.next();
            }
        };
    }

    /** A builder-side helper: an insertion-ordered map to fill before wrapping. */
    static <K, V> Map<TopicPartition, List<ConsumerRecord<K, V>>> newMap() {
        return new LinkedHashMap<>();
    }
}
