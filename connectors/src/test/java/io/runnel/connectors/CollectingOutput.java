package io.runnel.connectors;

import io.runnel.streams.connect.SourceOutput;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link SourceOutput} that keeps everything in delivery order: records and malformed reports
 * alike, so a test can compare whole sequences across restarts.
 *
 * @param <T> the record type
 */
public final class CollectingOutput<T> implements SourceOutput<T> {

    /** One delivery: a record with its timestamp, or a malformed report. */
    public record Delivery<T>(T record, long timestampMs, String malformedWhere, Throwable malformedReason) {
        public boolean isMalformed() {
            return malformedWhere != null;
        }

        /** What restart comparisons look at: the record, or where the malformed one was. */
        public Object identity() {
            return isMalformed() ? "malformed@" + malformedWhere : record;
        }
    }

    private final List<Delivery<T>> deliveries = new ArrayList<>();

    @Override
    public void collect(T record, long timestampMs) {
        deliveries.add(new Delivery<>(record, timestampMs, null, null));
    }

    @Override
    public void malformed(String where, byte[] raw, Throwable reason) {
        deliveries.add(new Delivery<>(null, Long.MIN_VALUE, where, reason));
    }

    public List<Delivery<T>> deliveries() {
        return deliveries;
    }

    public int size() {
        return deliveries.size();
    }

    /** The records only, without malformed reports. */
    public List<T> records() {
        List<T> records = new ArrayList<>();
        for (Delivery<T> d : deliveries) {
            if (!d.isMalformed()) {
                records.add(d.record());
            }
        }
        return records;
    }

    public List<Delivery<T>> malformed() {
        return deliveries.stream().filter(Delivery::isMalformed).toList();
    }

    public List<Object> identities() {
        return deliveries.stream().map(Delivery::identity).toList();
    }

    public void clear() {
        deliveries.clear();
    }
}
