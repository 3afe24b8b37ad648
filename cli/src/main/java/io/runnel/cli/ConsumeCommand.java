package io.runnel.cli;

import io.runnel.log.Consumer;
import io.runnel.log.ConsumerConfig;
import io.runnel.log.ConsumerRecord;
import io.runnel.log.ConsumerRecords;
import io.runnel.log.Log;
import io.runnel.log.ReadOnlyLogException;
import io.runnel.log.Serdes;
import io.runnel.log.TopicPartition;
import io.runnel.log.UnknownTopicException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code runnel consume <topic>}: writes records to stdout, from a chosen start, optionally as a
 * group member and optionally following new records until stopped.
 */
@Command(name = "consume", mixinStandardHelpOptions = true,
        description = {"Write a topic's records to stdout, one per line.",
                "Without --follow it stops at the end offsets seen when it started; with --follow it keeps"
                        + " waiting for new records until Ctrl-C/SIGTERM. Without a start option it reads only"
                        + " records appended from now on (like Kafka's console consumer); with --group it starts"
                        + " from the group's committed offsets (the earliest offset where there is none) and"
                        + " commits what it printed.",
                "A log directory owned by another process is read read-only (a note on stderr says so), so"
                        + " this works beside a running job; --group then fails, since it commits offsets."})
final class ConsumeCommand implements Callable<Integer> {
    private static final Duration POLL = Duration.ofMillis(200);

    private final Terminal terminal;

    @Spec
    CommandSpec spec;

    @Mixin
    LogDirOption logDir;

    @Parameters(paramLabel = "<topic>", converter = OptionConverters.Name.class, description = "The topic.")
    String topic;

    /** Where to start; at most one. */
    static final class Start {
        @Option(names = "--from-beginning", description = "Start at each partition's first stored record.")
        boolean beginning;
        @Option(names = "--offset", paramLabel = "<offset>", converter = OptionConverters.Offset.class,
                description = "Start at this offset of the --partition (required with it).")
        Long offset;
        @Option(names = "--from-time", paramLabel = "<time>", converter = OptionConverters.Time.class,
                description = "Start at each partition's first record at or after this time: epoch ms,"
                        + " 2024-05-01T12:00:00Z or 2024-05-01 (UTC).")
        Instant time;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Start start;

    @Option(names = "--partition", paramLabel = "<n>", converter = OptionConverters.PartitionNumber.class,
            description = "Read only this partition (default: all).")
    Integer partition;

    @Option(names = "--group", paramLabel = "<group>", converter = OptionConverters.Name.class,
            description = "Consume as a member of this group: start at its committed offsets and commit what was"
                    + " printed. Not with a start option or --partition (move a group with runnel group reset).")
    String group;

    @Option(names = "--follow", description = "Keep waiting for new records until Ctrl-C/SIGTERM.")
    boolean follow;

    @Option(names = "--max-records", paramLabel = "<n>", converter = OptionConverters.PositiveCount.class,
            description = "Stop after printing this many records.")
    Long maxRecords;

    @Option(names = "--format", paramLabel = "value|key-value|json", defaultValue = "value",
            converter = OptionConverters.Format.class,
            description = "value: the value (default); key-value: key<separator>value; json: one object per line"
                    + " with topic, partition, offset, timestamp, key, value and headers.")
    RecordFormat format;

    @Option(names = "--key-separator", paramLabel = "<text>", converter = OptionConverters.Separator.class,
            defaultValue = "\\t", description = "Separator of --format key-value (default: a tab).")
    String keySeparator;

    ConsumeCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws IOException {
        checkOptions();
        Log log = group == null ? LogAccess.openForReading(logDir.resolve(terminal), terminal)
                : LogAccess.openForWriting(logDir.resolve(terminal), "consume --group " + group, false,
                        "consume without --group (it reads read-only), or stop that process first");
        ConsumerConfig config = group == null ? ConsumerConfig.defaults()
                : ConsumerConfig.group(group).withAutoCommit(false);
        AtomicReference<Consumer<byte[], byte[]>> current = new AtomicReference<>();
        // SIGTERM/Ctrl-C wakes the poll; the JVM exits once the consumer and the log are closed.
        try (ShutdownSignal signal = ShutdownSignal.install(() -> {
            Consumer<byte[], byte[]> c = current.get();
            if (c != null) {
                c.wakeup();
            }
        }, 10_000); log; Consumer<byte[], byte[]> consumer = log.consumer(Serdes.bytes(), Serdes.bytes(), config)) {
            current.set(consumer);
            List<TopicPartition> partitions = partitions(log);
            Map<TopicPartition, Long> stopAt = new LinkedHashMap<>();
            for (TopicPartition tp : partitions) {
                stopAt.put(tp, log.endOffset(tp));
            }
            if (group == null) {
                consumer.assign(partitions);
                position(log, consumer, partitions);
            } else {
                consumer.subscribe(List.of(topic));
            }
            if (follow) {
                terminal.err().println("following " + topic + " (" + stopAt.size() + " partition"
                        + (stopAt.size() == 1 ? "" : "s") + ") until Ctrl-C" + (maxRecords != null ? " or "
                        + maxRecords + " records" : ""));
            }
            long printed = loop(consumer, stopAt, signal);
            terminal.err().println(printed + " records");
            if (printed == 0 && start == null && group == null && !follow) {
                terminal.err().println("(without --from-beginning, --offset or --from-time only new records are"
                        + " read: add --from-beginning to read the stored ones)");
            }
        } catch (ReadOnlyLogException e) {
            throw CliException.failure("consume --group needs to commit offsets, but the log is open read-only ("
                    + e.getMessage() + "): consume without --group, or stop the process that owns the log");
        }
        return ExitCode.OK;
    }

    private void checkOptions() {
        if (start != null && start.offset != null && partition == null) {
            throw Usage.error(spec, "--offset needs --partition <n> (offsets are per partition)");
        }
        if (group != null && (start != null || partition != null)) {
            throw Usage.error(spec, "--group starts at the group's committed offsets: drop --from-beginning,"
                    + " --offset, --from-time and --partition, or move the group first with"
                    + " 'runnel group reset " + group + " --to-earliest|--to-offset|--to-time --topic " + topic + "'");
        }
    }

    private List<TopicPartition> partitions(Log log) {
        int n;
        try {
            n = log.partitionCount(topic);
        } catch (UnknownTopicException e) {
            throw TopicCommand.unknownTopic(log, topic);
        }
        if (partition != null) {
            if (partition >= n) {
                throw CliException.failure("--partition " + partition + " is not a partition of " + topic
                        + ": it has partitions 0 to " + (n - 1));
            }
            return List.of(new TopicPartition(topic, partition));
        }
        List<TopicPartition> all = new ArrayList<>(n);
        for (int p = 0; p < n; p++) {
            all.add(new TopicPartition(topic, p));
        }
        return all;
    }

    private void position(Log log, Consumer<byte[], byte[]> consumer, List<TopicPartition> partitions) {
        if (start == null) {
            consumer.seekToEnd(partitions);
        } else if (start.beginning) {
            consumer.seekToBeginning(partitions);
        } else if (start.offset != null) {
            TopicPartition tp = partitions.get(0);
            long first = log.startOffset(tp);
            long end = log.endOffset(tp);
            if (start.offset < first || start.offset > end) {
                throw CliException.failure("--offset " + start.offset + " is outside partition " + tp + ", which"
                        + " holds offsets " + first + " to " + end + " (exclusive): pick one in that range");
            }
            consumer.seek(tp, start.offset);
        } else {
            for (TopicPartition tp : partitions) {
                consumer.seekToTimestamp(tp, start.time.toEpochMilli());
            }
        }
    }

    /** Polls and prints until the end (without --follow), --max-records or a signal; returns the count printed. */
    private long loop(Consumer<byte[], byte[]> consumer, Map<TopicPartition, Long> stopAt, ShutdownSignal signal)
            throws IOException {
        byte[] separator = keySeparator.getBytes(StandardCharsets.UTF_8);
        OutputStream out = new BufferedOutputStream(terminal.out(), 64 * 1024);
        Map<TopicPartition, Long> toCommit = new HashMap<>();
        long limit = maxRecords == null ? Long.MAX_VALUE : maxRecords;
        long printed = 0;
        while (printed < limit && !signal.received()) {
            ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
            for (ConsumerRecord<byte[], byte[]> r : records) {
                TopicPartition tp = r.topicPartition();
                if (!follow && r.offset() >= stopAt.getOrDefault(tp, Long.MAX_VALUE)) {
                    continue; // appended after we started: not ours without --follow
                }
                format.write(r, separator, out);
                toCommit.put(tp, r.offset() + 1);
                if (++printed == limit) {
                    break;
                }
            }
            out.flush();
            if (group != null && !toCommit.isEmpty()) {
                consumer.commit(toCommit);
                toCommit.clear();
            }
            if (terminal.out().checkError()) {
                break; // stdout was closed (e.g. piped into head): nobody reads any more
            }
            if (!follow && reachedEnd(consumer, stopAt)) {
                break;
            }
        }
        return printed;
    }

    private static boolean reachedEnd(Consumer<byte[], byte[]> consumer, Map<TopicPartition, Long> stopAt) {
        if (!consumer.assignment().containsAll(stopAt.keySet())) {
            return false; // a group member that has not got its partitions yet
        }
        for (Map.Entry<TopicPartition, Long> e : stopAt.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
