package io.runnel.streams;

import com.google.common.base.Preconditions;
import io.runnel.streams.connect.Source;
import io.runnel.streams.connect.SourceContext;
import io.runnel.streams.connect.SourceOutput;
import io.runnel.streams.connect.SourceReader;
import io.runnel.streams.connect.SourceSplit;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * A bounded source over an in-memory list, for tests and examples. Record {@code i} belongs to split
 * {@code i % splits}; a split's position is the index of its next record, so a job restarted from a
 * checkpoint continues exactly after it. Immutable and thread-safe.
 *
 * @param <T> the record type
 */
public final class CollectionSource<T> implements Source<T> {

    private final String name;
    private final List<T> records;
    private final int splitCount;
    private final ToLongFunction<? super T> timestampMs;

    private CollectionSource(String name, List<T> records, int splitCount, ToLongFunction<? super T> timestampMs) {
        this.name = name;
        this.records = records;
        this.splitCount = splitCount;
        this.timestampMs = timestampMs;
    }

    /** A one-split source over {@code records} (copied), each with source timestamp 0. */
    public static <T> CollectionSource<T> of(String name, List<? extends T> records) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(records, "records");
        return new CollectionSource<>(name, List.copyOf(records), 1, r -> 0L);
    }

    /** The same records spread over {@code n} splits (round robin). */
    public CollectionSource<T> withSplits(int n) {
        Preconditions.checkArgument(n >= 1, "splits must be positive, was %s", n);
        return new CollectionSource<>(name, records, n, timestampMs);
    }

    /** Source timestamps from {@code fn} (used by {@link TimeStrategy#sourceTime}, the default strategy). */
    public CollectionSource<T> withTimestamps(ToLongFunction<? super T> fn) {
        return new CollectionSource<>(name, records, splitCount, Objects.requireNonNull(fn, "fn"));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isBounded() {
        return true;
    }

    @Override
    public List<SourceSplit> splits() {
        List<SourceSplit> out = new ArrayList<>();
        for (int i = 0; i < splitCount; i++) {
            out.add(new SourceSplit(Integer.toString(i), new byte[0]));
        }
        return out;
    }

    @Override
    public SourceReader<T> open(SourceSplit split, SourceContext context) {
        int index = Integer.parseInt(split.id());
        byte[] pos = split.position();
        long next = pos.length == 0 ? index : ByteBuffer.wrap(pos).getLong();
        return new Reader(index, next);
    }

    private final class Reader implements SourceReader<T> {
        private final int split;
        private long next;
        private long current = -1;

        Reader(int split, long next) {
            this.split = split;
            this.next = next;
        }

        @Override
        public Status poll(SourceOutput<T> output, int maxRecords, Duration timeout) {
            if (next >= records.size()) {
                return Status.END;
            }
            for (int n = 0; n < maxRecords && next < records.size(); n++) {
                current = next;
                T r = records.get((int) next);
                next += splitCount;
                output.collect(r, timestampMs.applyAsLong(r));
            }
            return Status.MORE;
        }

        @Override
        public byte[] position() {
            return ByteBuffer.allocate(8).putLong(next).array();
        }

        @Override
        public String describePosition() {
            return name + "[" + current + "] (split " + split + ")";
        }

        @Override
        public void close() {
        }
    }
}
