package io.runnel.streams;

import io.runnel.streams.connect.Source;
import io.runnel.streams.connect.SourceContext;
import io.runnel.streams.connect.SourceOutput;
import io.runnel.streams.connect.SourceReader;
import io.runnel.streams.connect.SourceSplit;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A deterministic generator: split {@code s} yields {@code perSplit} events over its own keys, each
 * key with sequence numbers 1, 2, 3...; times rise 10 ms per event with up to 49 ms of jitter (in
 * order within a 100 ms bound) and a 2 s pause every 500 events (so sessions end). A split's position
 * is the index of its next event, so replay after a restore is exact. Optionally throttled to
 * {@code ratePerSecond} events per split (wall clock; the split then reports a backlog, so it is never idle).
 */
final class SequenceSource implements Source<Ev> {

    static final long T0 = 1_700_000_000_000L;
    static final int KEYS_PER_SPLIT = 10;

    private final String name;
    private final int splits;
    private final long perSplit;
    private final long ratePerSecond;

    SequenceSource(String name, int splits, long perSplit, long ratePerSecond) {
        this.name = name;
        this.splits = splits;
        this.perSplit = perSplit;
        this.ratePerSecond = ratePerSecond;
    }

    /** Event {@code j} of split {@code s}. */
    static Ev event(int s, long j) {
        long jitter = Math.floorMod((s * 31 + j) * 2654435761L, 50);
        long ts = T0 + j * 10 + (j / 500) * 2000 + jitter;
        return new Ev("s" + s + "-k" + (j % KEYS_PER_SPLIT), ts, j / KEYS_PER_SPLIT + 1, j % 7);
    }

    /** Every event of the source, split by split. */
    List<Ev> all() {
        List<Ev> out = new ArrayList<>();
        for (int s = 0; s < splits; s++) {
            for (long j = 0; j < perSplit; j++) {
                out.add(event(s, j));
            }
        }
        return out;
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
        for (int s = 0; s < splits; s++) {
            out.add(new SourceSplit(Integer.toString(s), new byte[0]));
        }
        return out;
    }

    @Override
    public SourceReader<Ev> open(SourceSplit split, SourceContext context) {
        int s = Integer.parseInt(split.id());
        byte[] p = split.position();
        long first = p.length == 0 ? 0 : ByteBuffer.wrap(p).getLong();
        long startNs = System.nanoTime();
        return new SourceReader<>() {
            long next = first;

            @Override
            public Status poll(SourceOutput<Ev> output, int maxRecords, Duration timeout) {
                if (next >= perSplit) {
                    return Status.END;
                }
                long allowed = ratePerSecond <= 0 ? Long.MAX_VALUE
                        : first + (System.nanoTime() - startNs) * ratePerSecond / 1_000_000_000L;
                int n = 0;
                while (n < maxRecords && next < perSplit && next < allowed) {
                    output.collect(event(s, next), 0);
                    next++;
                    n++;
                }
                return n > 0 ? Status.MORE : Status.CAUGHT_UP;
            }

            @Override
            public boolean hasBacklog() {
                return next < perSplit;
            }

            @Override
            public byte[] position() {
                return ByteBuffer.allocate(8).putLong(next).array();
            }

            @Override
            public void close() {
            }
        };
    }
}
