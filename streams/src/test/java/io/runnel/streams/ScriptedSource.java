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
 * A test source whose splits deliver fixed records (a {@link Bad} entry is reported as malformed)
 * and then either end or stay caught up forever, with or without a reported backlog.
 */
final class ScriptedSource<T> implements Source<Object> {

    /** An undecodable record at {@code where}. */
    record Bad(String where) {
    }

    /** What a split does after its records. */
    enum After { END, CAUGHT_UP, BACKLOG }

    private final String name;
    private final List<List<Object>> splits;
    private final After after;

    ScriptedSource(String name, List<List<Object>> splits, After after) {
        this.name = name;
        this.splits = splits;
        this.after = after;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isBounded() {
        return after == After.END;
    }

    @Override
    public List<SourceSplit> splits() {
        List<SourceSplit> out = new ArrayList<>();
        for (int i = 0; i < splits.size(); i++) {
            out.add(new SourceSplit(Integer.toString(i), new byte[0]));
        }
        return out;
    }

    @Override
    public SourceReader<Object> open(SourceSplit split, SourceContext context) {
        List<Object> records = splits.get(Integer.parseInt(split.id()));
        byte[] p = split.position();
        int start = p.length == 0 ? 0 : ByteBuffer.wrap(p).getInt();
        return new SourceReader<>() {
            int next = start;

            @Override
            public Status poll(SourceOutput<Object> output, int maxRecords, Duration timeout) {
                if (next >= records.size()) {
                    return after == After.END ? Status.END : Status.CAUGHT_UP;
                }
                for (int n = 0; n < maxRecords && next < records.size(); n++) {
                    Object r = records.get(next++);
                    if (r instanceof Bad b) {
                        output.malformed(b.where(), new byte[] {1, 2}, new IllegalArgumentException("unexpected token"));
                    } else {
                        output.collect(r, 0);
                    }
                }
                return Status.MORE;
            }

            @Override
            public byte[] position() {
                return ByteBuffer.allocate(4).putInt(next).array();
            }

            @Override
            public String describePosition() {
                return name + "/" + split.id() + "@" + (next - 1);
            }

            @Override
            public boolean hasBacklog() {
                return after == After.BACKLOG;
            }

            @Override
            public void close() {
            }
        };
    }
}
