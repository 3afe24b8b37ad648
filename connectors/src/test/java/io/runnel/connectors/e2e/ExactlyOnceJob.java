package io.runnel.connectors.e2e;

import io.runnel.connectors.file.FileSink;
import io.runnel.connectors.file.FileSource;
import io.runnel.connectors.generator.GeneratorSource;
import io.runnel.connectors.jdbc.JdbcSink;
import io.runnel.connectors.log.LogSink;
import io.runnel.log.Log;
import io.runnel.log.Serdes;
import io.runnel.log.TopicConfig;
import io.runnel.streams.JobConfig;
import io.runnel.streams.Statistics;
import io.runnel.streams.StreamJob;
import io.runnel.streams.Windows;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import io.runnel.streams.connect.Sink;
import io.runnel.streams.connect.SourceContext;
import io.runnel.streams.connect.SourceOutput;
import io.runnel.streams.connect.SourceReader;
import io.runnel.streams.connect.SourceSplit;

/**
 * The job the exactly-once tests run in a child JVM and kill with SIGKILL. Two modes:
 * <ul>
 *   <li>{@code jdbc|jdbc-broken-append <url> <stateDir> <events> <eventsPerSecond>}: generated sales, keyed by user, summed per 1-minute
 *       tumbling window of event time, upserted into table {@code totals} (customer, window_start,
 *       amount); {@code jdbc-broken-append} inserts without a key instead, for the checker's own test.</li>
 *   <li>{@code log <logDir> <stateDir> <events> <eventsPerSecond>}: generated ids appended by the
 *       exactly-once log sink to topic {@code ids} of the log in {@code logDir}; {@code log-broken-append}
 *       appends on write instead, for the checker's own test.</li>
 *   <li>{@code file <input.jsonl> <stateDir> <outDir> <microsPerLine>}: a JSON lines file read by the
 *       file source, each line (its text upper-cased) written to a rolling file sink; each line
 *       takes about the given time, so that the test can kill the job mid-file.</li>
 * </ul>
 * It exits 0 when the bounded input is done; its checkpoints let a killed run resume.
 */
public final class ExactlyOnceJob {
    static final long BASE_MS = 1_700_000_040_000L - 1_700_000_040_000L % 60_000;
    static final int USERS_PER_SPLIT = 25;
    static final int SPLITS = 2;

    /** A sale: deterministic from (split, seq). 50 per minute of event time per split. */
    public record Sale(String customer, long amount, long ts) {
    }

    /** One result row. */
    public record UserTotal(String customer, long windowStart, long amount) {
    }

    /** A line of the file job's input, and what its sink writes. */
    public record Line(long id, String text) {
    }

    private ExactlyOnceJob() {
    }

    static Sale sale(int split, long seq, SplittableRandom random) {
        return new Sale("u" + (split * USERS_PER_SPLIT + seq % USERS_PER_SPLIT), 1 + random.nextInt(1000), BASE_MS + seq * 1_200);
    }

    static GeneratorSource<Sale> sales(long events) {
        return GeneratorSource.of("sales", 7L, ExactlyOnceJob::sale).withSplits(SPLITS).withLimit(events).withTimestamps(Sale::ts);
    }

    /** The results a run without crashes must give: computed directly, without the streams runtime. */
    static Map<String, Long> reference(long events) {
        Map<String, Long> totals = new HashMap<>();
        GeneratorSource<Sale> source = sales(events);
        for (SourceSplit split : source.splits()) {
            try (SourceReader<Sale> reader = source.open(split, new SourceContext("reference", source.name(), 0, 1))) {
                SourceOutput<Sale> out = new SourceOutput<>() {
                    @Override
                    public void collect(Sale s, long timestampMs) {
                        totals.merge(s.customer() + "@" + (s.ts() - s.ts() % 60_000), s.amount(), Long::sum);
                    }

                    @Override
                    public void malformed(String where, byte[] raw, Throwable reason) {
                        throw new AssertionError(where, reason);
                    }
                };
                while (reader.poll(out, 10_000, Duration.ZERO) != SourceReader.Status.END) {
                    // drain
                }
            }
        }
        return totals;
    }

    public static void main(String[] args) {
        Path stateDir = Path.of(args[2]);
        JobConfig config = JobConfig.defaults().withStateDir(stateDir).withCheckpointInterval(Duration.ofMillis(150)).withParallelism(2);
        StreamJob job = StreamJob.named("exactly-once", config);
        if (args[0].startsWith("jdbc")) {
            Sink<UserTotal> sink = args[0].equals("jdbc-broken-append") ? new AppendOnlyJdbcSink(args[1])
                    : JdbcSink.upsert(args[1], "totals", UserTotal.class).keys("customer", "window_start").createTable().batchSize(500).build();
            job.source(sales(Long.parseLong(args[3])).withRatePerSecond(Double.parseDouble(args[4]))).withEventTime(Sale::ts, Duration.ZERO)
                    .keyBy(Sale::customer)
                    .window(Windows.tumbling(Duration.ofMinutes(1)))
                    .aggregate(Statistics.sumLong(Sale::amount))
                    .map(r -> new UserTotal(r.key(), r.windowStartMs(), r.value()))
                    .to(sink);
        } else if (args[0].startsWith("log")) {
            // generated ids into a topic of a log this process owns (the kill releases its lock)
            try (Log log = Log.open(Path.of(args[1]))) {
                log.createTopicIfAbsent("ids", TopicConfig.partitions(3));
                job.source(GeneratorSource.of("ids", 3L, (split, seq, random) -> split + ":" + seq).withSplits(SPLITS)
                                .withLimit(Long.parseLong(args[3])).withRatePerSecond(Double.parseDouble(args[4])))
                        .to(args[0].equals("log-broken-append") ? new AppendOnLogWriteSink(log) : LogSink.of(log, "ids", Serdes.string()));
                job.run();
            }
            return;
        } else {
            job.source(FileSource.jsonLines("lines", Line.class, Path.of(args[1])))
                    .map(line -> {
                        java.util.concurrent.locks.LockSupport.parkNanos(Long.parseLong(args[4]) * 1_000); // pacing for the kills
                        return new Line(line.id(), line.text().toUpperCase(java.util.Locale.ROOT));
                    })
                    .to(FileSink.<Line>jsonLines("out", Path.of(args[3])).withMaxPartBytes(256 * 1024));
        }
        job.run();
    }
}
