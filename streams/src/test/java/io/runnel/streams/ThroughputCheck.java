package io.runnel.streams;

import io.runnel.streams.connect.DeliveryGuarantee;
import io.runnel.streams.connect.Sink;
import io.runnel.streams.connect.SinkContext;
import io.runnel.streams.connect.SinkWriter;
import io.runnel.streams.connect.Source;
import io.runnel.streams.connect.SourceContext;
import io.runnel.streams.connect.SourceOutput;
import io.runnel.streams.connect.SourceReader;
import io.runnel.streams.connect.SourceSplit;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;

/**
 * A quick look at the runtime's speed on the streams-window shape (filter, keyBy url, 1-minute
 * tumbling count, no-op sink) from an in-memory generator; not a benchmark (see benchmarks/).
 * Run: {@code java -cp <test classpath> io.runnel.streams.ThroughputCheck [events] [parallelism]}.
 */
public final class ThroughputCheck {

    record PageView(String user, String url, long ts) {
    }

    public static void main(String[] args) {
        long events = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000;
        int p = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        String[] urls = new String[1000];
        for (int i = 0; i < urls.length; i++) {
            urls[i] = "/page/" + i;
        }
        PageView[] pool = new PageView[1 << 16];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = new PageView("u" + (i % 5000), urls[(i * 7919) % urls.length], 0);
        }
        Source<PageView> src = new Source<>() {
            @Override public String name() { return "views"; }
            @Override public boolean isBounded() { return true; }
            @Override public List<SourceSplit> splits() { return List.of(new SourceSplit("0", new byte[0])); }
            @Override public SourceReader<PageView> open(SourceSplit split, SourceContext context) {
                return new SourceReader<>() {
                    long next;
                    @Override public Status poll(SourceOutput<PageView> out, int max, Duration timeout) {
                        if (next >= events) {
                            return Status.END;
                        }
                        for (int n = 0; n < max && next < events; n++, next++) {
                            PageView v = pool[(int) (next & (pool.length - 1))];
                            out.collect(v, 1_700_000_000_000L + next / 10);
                        }
                        return Status.MORE;
                    }
                    @Override public byte[] position() { return ByteBuffer.allocate(8).putLong(next).array(); }
                    @Override public void close() { }
                };
            }
        };
        Sink<Object> noop = new Sink<>() {
            @Override public String name() { return "noop"; }
            @Override public DeliveryGuarantee guarantee() { return DeliveryGuarantee.AT_LEAST_ONCE; }
            @Override public SinkWriter<Object> open(SinkContext c) {
                return new SinkWriter<>() {
                    @Override public void write(Object r) { }
                    @Override public byte[] prepareCommit(long id) { return new byte[0]; }
                    @Override public void commit(long id, byte[] c) { }
                    @Override public void close() { }
                };
            }
        };
        for (int round = 0; round < 3; round++) {
            StreamJob job = StreamJob.named("throughput");
            job.source(src).filter(v -> !v.url().isEmpty()).keyBy(PageView::url)
                    .window(Windows.tumbling(Duration.ofMinutes(1))).count().to(noop);
            long t0 = System.nanoTime();
            job.run(JobConfig.defaults().withParallelism(p).withJmx(false).withStopOnShutdown(false));
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("round %d: %d events in %.2f s = %.2f M events/s (parallelism %d)%n", round, events, s, events / s / 1e6, p);
        }
    }
}
