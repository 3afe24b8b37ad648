package io.runnel.cli;

import io.runnel.log.Log;
import io.runnel.log.LogConfig;
import io.runnel.log.Producer;
import io.runnel.log.ProducerRecord;
import io.runnel.log.RunnelLogException;
import io.runnel.log.Serdes;
import io.runnel.log.UnknownTopicException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runnel produce <topic>}: appends one record per stdin line, then prints how many were
 * acknowledged and how many failed; exits {@link ExitCode#FAILURE} if any failed.
 */
@Command(name = "produce", mixinStandardHelpOptions = true,
        description = {"Append one record per line of stdin to a topic.",
                "The line is the value; with --with-keys the text before the first separator is the key. At the"
                        + " end, print how many records were acknowledged and how many failed; exit 1 if any"
                        + " failed.",
                "Records are acknowledged under the log's durability (fsync by default). A progress line goes to"
                        + " stderr every --progress-interval."})
final class ProduceCommand implements Callable<Integer> {
    /** Failures printed one by one before only the count is kept. */
    private static final int PRINTED_FAILURES = 10;

    private final Terminal terminal;

    @Mixin
    LogDirOption logDir;

    @Parameters(paramLabel = "<topic>", converter = OptionConverters.Name.class, description = "The topic (it must exist: runnel topic create).")
    String topic;

    @Option(names = "--with-keys", description = "Each line is key<separator>value (separator: a tab unless"
            + " --key-separator says otherwise); a line without the separator fails.")
    boolean withKeys;

    @Option(names = "--key-separator", paramLabel = "<text>", converter = OptionConverters.Separator.class,
            description = "The key/value separator (implies --with-keys); \\t is a tab.")
    String keySeparator;

    @Option(names = "--partition", paramLabel = "<n>", converter = OptionConverters.PartitionNumber.class,
            description = "Append every record to this partition (default: by key hash, round robin without keys).")
    Integer partition;

    @Option(names = "--progress-interval", paramLabel = "<duration>", defaultValue = "5s",
            converter = OptionConverters.PositiveDuration.class,
            description = "How often a progress line goes to stderr (default: ${DEFAULT-VALUE}).")
    Duration progressInterval;

    ProduceCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        boolean keyed = withKeys || keySeparator != null;
        byte[] separator = (keySeparator == null ? "\t" : keySeparator).getBytes(StandardCharsets.UTF_8);
        Failures failures = new Failures();
        AtomicLong acknowledged = new AtomicLong();
        long lines = 0;
        try (Log log = LogAccess.openForWriting(logDir.resolve(terminal), "produce", false, LogAccess.STOP_OWNER);
                Producer<byte[], byte[]> producer = log.producer(Serdes.bytes(), Serdes.bytes())) {
            int partitions = partitionCount(log);
            if (partition != null && partition >= partitions) {
                throw CliException.failure("--partition " + partition + " is not a partition of " + topic
                        + ": it has partitions 0 to " + (partitions - 1));
            }
            int maxRecordBytes = LogConfig.defaults().maxRecordBytes();
            LineReader reader = new LineReader(terminal.in(), maxRecordBytes);
            Progress progress = new Progress(terminal.err(), terminal.clock(), progressInterval, "produce");
            long readSoFar = 0;
            byte[] line;
            while ((line = reader.next()) != null) {
                long lineNo = ++lines;
                readSoFar = lineNo;
                if (reader.truncated()) {
                    failures.add(lineNo, "longer than the largest record the log accepts (maxRecordBytes="
                            + maxRecordBytes + ")");
                } else {
                    send(producer, line, keyed, separator, lineNo, acknowledged, failures);
                }
                long read = readSoFar;
                progress.update(acknowledged.get(), n -> read + " lines read, " + n + " acknowledged"
                        + (failures.count() > 0 ? ", " + failures.count() + " failed" : ""));
            }
            producer.flush();
        } catch (IOException e) {
            throw CliException.failure("reading stdin failed after " + lines + " lines: " + e);
        }
        long failed = failures.count();
        terminal.out().println(acknowledged.get() + " records acknowledged, " + failed + " failed (" + lines
                + " lines read)");
        if (failed > PRINTED_FAILURES) {
            terminal.err().println("(" + (failed - PRINTED_FAILURES) + " more failures not shown)");
        }
        return failed > 0 ? ExitCode.FAILURE : ExitCode.OK;
    }

    private int partitionCount(Log log) {
        try {
            return log.partitionCount(topic);
        } catch (UnknownTopicException e) {
            throw TopicCommand.unknownTopic(log, topic);
        }
    }

    private void send(Producer<byte[], byte[]> producer, byte[] line, boolean keyed, byte[] separator, long lineNo,
            AtomicLong acknowledged, Failures failures) {
        byte[] key = null;
        byte[] value = line;
        if (keyed) {
            int at = indexOf(line, separator);
            if (at < 0) {
                failures.add(lineNo, "no key separator " + JsonText.quote(new String(separator, StandardCharsets.UTF_8))
                        + " in the line");
                return;
            }
            key = Arrays.copyOfRange(line, 0, at);
            value = Arrays.copyOfRange(line, at + separator.length, line.length);
        }
        ProducerRecord<byte[], byte[]> record = ProducerRecord.of(topic, key, value);
        if (partition != null) {
            record = record.withPartition(partition);
        }
        try {
            producer.send(record).whenComplete((m, e) -> {
                if (e == null) {
                    acknowledged.incrementAndGet();
                } else {
                    failures.add(lineNo, (e instanceof CompletionException && e.getCause() != null ? e.getCause() : e)
                            .getMessage());
                }
            });
        } catch (RunnelLogException e) {
            failures.add(lineNo, e.getMessage());
        }
    }

    static int indexOf(byte[] line, byte[] separator) {
        outer:
        for (int i = 0; i <= line.length - separator.length; i++) {
            for (int j = 0; j < separator.length; j++) {
                if (line[i + j] != separator[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Counts failures and prints the first few on stderr. Thread-safe (acknowledgements arrive on the journal thread). */
    private final class Failures {
        private final AtomicLong count = new AtomicLong();

        void add(long lineNo, String why) {
            if (count.incrementAndGet() <= PRINTED_FAILURES) {
                terminal.err().println("line " + lineNo + " failed: " + why);
            }
        }

        long count() {
            return count.get();
        }
    }
}
