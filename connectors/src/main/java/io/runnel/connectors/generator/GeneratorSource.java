package io.runnel.connectors.generator;

import com.google.common.base.Preconditions;
import io.runnel.connectors.InvalidConfigException;
import io.runnel.connectors.TimeSource;
import io.runnel.connectors.internal.PositionCodec;
import io.runnel.streams.connect.Source;
import io.runnel.streams.connect.SourceContext;
import io.runnel.streams.connect.SourceReader;
import io.runnel.streams.connect.SourceSplit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * Deterministic synthetic events for demos, tests and benchmarks: event {@code s} of split {@code i}
 * is {@code generator.generate(i, s, random(seed, i, s))}, so any run, restarted from any position,
 * produces the same events. Splits are numbered {@code 0..splits-1}; a split's position is the
 * sequence number of its next event.
 *
 * <p>Pacing: {@link #withRatePerSecond} spreads a target total rate over the splits; a reader
 * waits (through the {@link TimeSource}, never spinning) until events are due. Without a rate it
 * produces as fast as it is polled. Bounded with {@link #withLimit} (the total spread over the
 * splits), unbounded otherwise.
 *
 * <p>Immutable and thread-safe; each {@code with*} returns a new source.
 *
 * @param <T> the event type
 */
public final class GeneratorSource<T> implements Source<T> {
    private static final String CONNECTOR = "generator source";

    private final String name;
    private final long seed;
    private final EventGenerator<T> generator;
    private final int splits;
    private final double ratePerSecond;
    private final long limit;
    private final TimeSource time;
    private final ToLongFunction<T> timestamp;

    private GeneratorSource(String name, long seed, EventGenerator<T> generator, int splits, double ratePerSecond, long limit,
            TimeSource time, ToLongFunction<T> timestamp) {
        this.name = name;
        this.seed = seed;
        this.generator = generator;
        this.splits = splits;
        this.ratePerSecond = ratePerSecond;
        this.limit = limit;
        this.time = time;
        this.timestamp = timestamp;
    }

    /**
     * An unbounded generator with one split, as fast as polled, timestamps from the wall clock.
     *
     * @param name      stable name (checkpoints key positions by it)
     * @param seed      the seed every event derives from
     * @param generator makes each event
     */
    public static <T> GeneratorSource<T> of(String name, long seed, EventGenerator<T> generator) {
        InvalidConfigException.requireNonBlank(CONNECTOR, "name", name, "give the source a stable name");
        Objects.requireNonNull(generator, "generator");
        return new GeneratorSource<>(name, seed, generator, 1, 0, -1, TimeSource.system(), null);
    }

    /** Splits the events into {@code count} independently read splits (each a parallel stream). */
    public GeneratorSource<T> withSplits(int count) {
        if (count < 1) {
            throw new InvalidConfigException(CONNECTOR, "splits", count, "must be at least 1", "use withSplits(1) or more");
        }
        return new GeneratorSource<>(name, seed, generator, count, ratePerSecond, limit, time, timestamp);
    }

    /** Produces about {@code eventsPerSecond} in total (spread evenly over the splits); 0 means as fast as possible. */
    public GeneratorSource<T> withRatePerSecond(double eventsPerSecond) {
        if (!(eventsPerSecond >= 0) || Double.isInfinite(eventsPerSecond)) {
            throw new InvalidConfigException(CONNECTOR, "ratePerSecond", eventsPerSecond, "must be a finite number >= 0",
                    "use 0 for as fast as possible");
        }
        return new GeneratorSource<>(name, seed, generator, splits, eventsPerSecond, limit, time, timestamp);
    }

    /** Makes the source bounded: {@code totalEvents} in all, split as evenly as possible (the first splits get one more). */
    public GeneratorSource<T> withLimit(long totalEvents) {
        if (totalEvents < 0) {
            throw new InvalidConfigException(CONNECTOR, "limit", totalEvents, "must be >= 0", "use a count of events, or no limit");
        }
        return new GeneratorSource<>(name, seed, generator, splits, ratePerSecond, totalEvents, time, timestamp);
    }

    /** Uses {@code source} for pacing and default timestamps (tests inject a manual one). */
    public GeneratorSource<T> withTimeSource(TimeSource source) {
        return new GeneratorSource<>(name, seed, generator, splits, ratePerSecond, limit, Objects.requireNonNull(source, "time"), timestamp);
    }

    /** Takes each event's timestamp from the event (deterministic) instead of the wall clock at generation. */
    public GeneratorSource<T> withTimestamps(ToLongFunction<T> eventTimeMs) {
        return new GeneratorSource<>(name, seed, generator, splits, ratePerSecond, limit, time, Objects.requireNonNull(eventTimeMs, "eventTimeMs"));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isBounded() {
        return limit >= 0;
    }

    @Override
    public List<SourceSplit> splits() {
        List<SourceSplit> result = new ArrayList<>(splits);
        for (int i = 0; i < splits; i++) {
            result.add(new SourceSplit(Integer.toString(i), PositionCodec.encode(0)));
        }
        return result;
    }

    @Override
    public SourceReader<T> open(SourceSplit split, SourceContext context) {
        int index = parseSplit(split.id());
        long next = PositionCodec.decode(split.position(), 1, CONNECTOR + " '" + name + "' split " + split.id())[0];
        Preconditions.checkArgument(next >= 0, "negative sequence %s in the position of split %s", next, split.id());
        return new GeneratorReader<>(this, index, next, endOf(index));
    }

    private long endOf(int split) {
        if (limit < 0) {
            return Long.MAX_VALUE;
        }
        return limit / splits + (split < limit % splits ? 1 : 0);
    }

    private int parseSplit(String id) {
        try {
            int index = Integer.parseInt(id);
            if (index >= 0 && index < splits) {
                return index;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new InvalidConfigException(CONNECTOR, "split", id, "is not one of 0.." + (splits - 1),
                "restore with the same number of splits the checkpoint was taken with");
    }

    T event(int split, long sequence) {
        return generator.generate(split, sequence, new java.util.SplittableRandom(mix(seed, split, sequence)));
    }

    long timestampOf(T event) {
        return timestamp == null ? time.epochMillis() : timestamp.applyAsLong(event);
    }

    TimeSource time() {
        return time;
    }

    /** Events per second per split; 0 for unpaced. */
    double splitRatePerSecond() {
        return ratePerSecond / splits;
    }

    // SplitMix64's finalizer over the three inputs: neighbouring sequences get unrelated seeds.
    static long mix(long seed, int split, long sequence) {
        long z = seed + 0x9E3779B97F4A7C15L * (sequence + 1) + 0xBF58476D1CE4E5B9L * (split + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
