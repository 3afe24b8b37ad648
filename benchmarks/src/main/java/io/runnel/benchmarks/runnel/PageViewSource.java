package io.runnel.benchmarks.runnel;

import io.runnel.benchmarks.data.PageView;
import io.runnel.benchmarks.data.PageViewGenerator;
import io.runnel.benchmarks.data.PageViewSpec;
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
 * The in-memory source of the stream benchmarks: page views {@code 0 .. events-1} of a
 * {@link PageViewSpec}, generated on the fly. Split {@code s} of {@code n} holds the events whose
 * index is {@code s} modulo {@code n}, so all splits move through event time together, as the
 * partitions of a topic do. Position: the next index of the split (8 bytes).
 */
final class PageViewSource implements Source<PageView> {

    private final PageViewSpec spec;
    private final long events;
    private final int splits;

    PageViewSource(PageViewSpec spec, long events, int splits) {
        this.spec = spec;
        this.events = events;
        this.splits = splits;
    }

    @Override
    public String name() {
        return "generated-page-views";
    }

    @Override
    public boolean isBounded() {
        return true;
    }

    @Override
    public List<SourceSplit> splits() {
        List<SourceSplit> out = new ArrayList<>();
        for (int s = 0; s < splits; s++) {
            out.add(new SourceSplit(Integer.toString(s), ByteBuffer.allocate(8).putLong(s).array()));
        }
        return out;
    }

    @Override
    public SourceReader<PageView> open(SourceSplit split, SourceContext context) {
        return new Reader(new PageViewGenerator(spec), ByteBuffer.wrap(split.position()).getLong());
    }

    private final class Reader implements SourceReader<PageView> {
        private final PageViewGenerator generator;
        private long next;

        Reader(PageViewGenerator generator, long next) {
            this.generator = generator;
            this.next = next;
        }

        @Override
        public Status poll(SourceOutput<PageView> output, int maxRecords, Duration timeout) {
            if (next >= events) {
                return Status.END;
            }
            for (int i = 0; i < maxRecords && next < events; i++, next += splits) {
                PageView view = generator.at(next);
                output.collect(view, view.timestampMs());
            }
            return Status.MORE;
        }

        @Override
        public byte[] position() {
            return ByteBuffer.allocate(8).putLong(next).array();
        }

        @Override
        public void close() {}
    }
}
