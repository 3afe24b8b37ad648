package io.runnel.benchmarks.flink;

import io.runnel.benchmarks.data.PageView;
import io.runnel.benchmarks.data.PageViewGenerator;
import io.runnel.benchmarks.data.PageViewSpec;
import java.io.Serializable;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** The functions of the Flink jobs, as named classes (Flink serializes them to its tasks). */
public final class FlinkFunctions {

    private FlinkFunctions() {}

    /** Index to page view: the in-memory source's generator, built once per task. */
    static final class Generate extends RichMapFunction<Long, PageView> {
        private static final long serialVersionUID = 1L;
        private final PageViewSpec spec;
        private final String run;
        private transient PageViewGenerator generator;
        private transient boolean started;

        Generate(PageViewSpec spec, String run) {
            this.spec = spec;
            this.run = run;
        }

        @Override
        public void open(OpenContext context) {
            generator = new PageViewGenerator(spec);
        }

        @Override
        public PageView map(Long index) {
            if (!started) {
                started = true;
                FlinkRuns.get(run).firstEventNanos.compareAndSet(0, System.nanoTime());
            }
            return generator.at(index);
        }
    }

    static final class NotBot implements FilterFunction<PageView> {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean filter(PageView view) {
            return !view.bot();
        }
    }

    static final class ByUrl implements KeySelector<PageView, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(PageView view) {
            return view.url();
        }
    }

    static final class ByUser implements KeySelector<PageView, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(PageView view) {
            return view.user();
        }
    }

    static final class Count implements AggregateFunction<PageView, Long, Long> {
        private static final long serialVersionUID = 1L;

        @Override
        public Long createAccumulator() {
            return 0L;
        }

        @Override
        public Long add(PageView view, Long count) {
            return count + 1;
        }

        @Override
        public Long getResult(Long count) {
            return count;
        }

        @Override
        public Long merge(Long a, Long b) {
            return a + b;
        }
    }

    /** A window's count for one url. */
    public record UrlCount(long windowStartMs, String url, long count) {}

    static final class EmitUrlCount extends ProcessWindowFunction<Long, UrlCount, String, TimeWindow> {
        private static final long serialVersionUID = 1L;

        @Override
        public void process(String url, Context context, Iterable<Long> counts, Collector<UrlCount> out) {
            out.collect(new UrlCount(context.window().getStart(), url, counts.iterator().next()));
        }
    }

    /** Session accumulator: count and first and last event time. A Flink POJO. */
    public static final class SessionAcc {
        public long count;
        public long firstMs = Long.MAX_VALUE;
        public long lastMs = Long.MIN_VALUE;

        public SessionAcc() {}
    }

    static final class SessionAggregate implements AggregateFunction<PageView, SessionAcc, SessionAcc> {
        private static final long serialVersionUID = 1L;

        @Override
        public SessionAcc createAccumulator() {
            return new SessionAcc();
        }

        @Override
        public SessionAcc add(PageView view, SessionAcc acc) {
            acc.count++;
            acc.firstMs = Math.min(acc.firstMs, view.timestampMs());
            acc.lastMs = Math.max(acc.lastMs, view.timestampMs());
            return acc;
        }

        @Override
        public SessionAcc getResult(SessionAcc acc) {
            return acc;
        }

        @Override
        public SessionAcc merge(SessionAcc a, SessionAcc b) {
            a.count += b.count;
            a.firstMs = Math.min(a.firstMs, b.firstMs);
            a.lastMs = Math.max(a.lastMs, b.lastMs);
            return a;
        }
    }

    /** A finished session of one user. */
    public record UserSession(String user, long firstMs, long lastMs, long count) {}

    static final class EmitSession extends ProcessWindowFunction<SessionAcc, UserSession, String, TimeWindow> {
        private static final long serialVersionUID = 1L;

        @Override
        public void process(String user, Context context, Iterable<SessionAcc> accs, Collector<UserSession> out) {
            SessionAcc acc = accs.iterator().next();
            out.collect(new UserSession(user, acc.firstMs, acc.lastMs, acc.count));
        }
    }

    /** Adds one output element to a run's summary. */
    @FunctionalInterface
    interface SummaryAdder<T> extends Serializable {
        void add(FlinkRuns.Run run, T element);
    }

    static void addUrlCount(FlinkRuns.Run run, UrlCount c) {
        run.windowCounts.add(c.windowStartMs(), c.url(), c.count());
    }

    static void addSession(FlinkRuns.Run run, UserSession s) {
        run.sessions.add(s.user(), s.firstMs(), s.lastMs(), s.count());
    }

    /** The no-op sink, which only adds what it gets to the run's summary for the check. */
    static final class SummarySink<T> implements Sink<T> {
        private static final long serialVersionUID = 1L;
        private final String run;
        private final SummaryAdder<T> adder;

        SummarySink(String run, SummaryAdder<T> adder) {
            this.run = run;
            this.adder = adder;
        }

        @Override
        public SinkWriter<T> createWriter(WriterInitContext context) {
            FlinkRuns.Run target = FlinkRuns.get(run);
            SummaryAdder<T> add = adder;
            return new SinkWriter<>() {
                @Override
                public void write(T element, Context context) {
                    add.add(target, element);
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }
}
