package io.runnel.cli;

import io.runnel.log.CleanupPolicy;
import io.runnel.log.Compression;
import io.runnel.log.Durations;
import io.runnel.log.Log;
import io.runnel.log.LogConfig;
import io.runnel.log.PartitionInfo;
import io.runnel.log.TopicConfig;
import io.runnel.log.TopicDescription;
import io.runnel.log.UnknownTopicException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code runnel topic create|list|describe|delete}. */
@Command(name = "topic", mixinStandardHelpOptions = true, description = "Create, list, describe and delete topics.")
final class TopicCommand implements Callable<Integer> {
    private final Terminal terminal;

    @Spec
    CommandSpec spec;

    TopicCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        return Usage.missingSubcommand(spec);
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a topic (and the log directory if it does not exist).")
    int create(@Mixin LogDirOption logDir,
            @Parameters(paramLabel = "<topic>", converter = OptionConverters.Name.class, description = "Topic name: 1 to 200 characters of [A-Za-z0-9._-].")
            String topic,
            @Option(names = "--partitions", paramLabel = "<n>", defaultValue = "1",
                    converter = OptionConverters.PartitionCount.class,
                    description = "Number of partitions, 1 to 10000 (default: ${DEFAULT-VALUE}).") int partitions,
            @Option(names = "--retention", paramLabel = "<duration>", converter = OptionConverters.PositiveDuration.class,
                    description = "Delete closed segments last appended to longer ago than this, like 7d or 12h"
                            + " (default: keep forever). Counts from append time, not record timestamps.")
            Duration retention,
            @Option(names = "--retention-bytes", paramLabel = "<size>", converter = OptionConverters.Bytes.class,
                    description = "Delete the oldest closed segments while a partition is larger than this, like"
                            + " 10GiB (default: no limit).") Long retentionBytes,
            @Option(names = "--cleanup", paramLabel = "delete|compact", converter = OptionConverters.Cleanup.class,
                    description = "delete: retention deletes old segments (default); compact: keep the latest"
                            + " record per key.") CleanupPolicy cleanup,
            @Option(names = "--compression", paramLabel = "none|lz4|zstd",
                    converter = OptionConverters.CompressionName.class,
                    description = "Batch compression (default: none).") Compression compression,
            @Option(names = "--segment-bytes", paramLabel = "<size>", converter = OptionConverters.SegmentSize.class,
                    description = "Roll segments at this size, at least 1KiB (default: the log's, 256MiB).")
            Long segmentBytes,
            @Option(names = "--segment-age", paramLabel = "<duration>",
                    converter = OptionConverters.PositiveDuration.class,
                    description = "Roll segments this long after their first append (default: the log's, 7d).")
            Duration segmentAge,
            @Option(names = "--if-not-exists", description = "Succeed without change if the topic exists.")
            boolean ifNotExists) {
        TopicConfig config = TopicConfig.partitions(partitions);
        if (retention != null) {
            config = config.withRetention(retention);
        }
        if (retentionBytes != null) {
            config = config.withRetentionBytes(retentionBytes);
        }
        if (cleanup != null) {
            config = config.withCleanupPolicy(cleanup);
        }
        if (compression != null) {
            config = config.withCompression(compression);
        }
        if (segmentBytes != null) {
            config = config.withSegmentBytes(segmentBytes);
        }
        if (segmentAge != null) {
            config = config.withSegmentAge(segmentAge);
        }
        try (Log log = LogAccess.openForWriting(logDir.resolve(terminal), "topic create", true,
                LogAccess.STOP_OWNER)) {
            boolean created = ifNotExists ? log.createTopicIfAbsent(topic, config) : createOrExplain(log, topic, config);
            terminal.out().println((created ? "created topic " : "topic exists: ") + topic + " ("
                    + summary(log.topicConfig(topic)) + ") in " + log.directory());
        }
        return ExitCode.OK;
    }

    private static boolean createOrExplain(Log log, String topic, TopicConfig config) {
        if (log.topics().contains(topic)) {
            throw CliException.failure("topic " + topic + " already exists in " + log.directory()
                    + " (add --if-not-exists to accept that, or delete it first)");
        }
        log.createTopic(topic, config);
        return true;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Print the topic names, one per line.")
    int list(@Mixin LogDirOption logDir) {
        try (Log log = LogAccess.openForReading(logDir.resolve(terminal), terminal)) {
            for (String t : new TreeSet<>(log.topics())) {
                terminal.out().println(t);
            }
        }
        return ExitCode.OK;
    }

    @Command(name = "describe", mixinStandardHelpOptions = true,
            description = "Print each topic's settings, size and segments, and per partition the start and end"
                    + " offsets, size, segment count and durable offset.")
    int describe(@Mixin LogDirOption logDir,
            @Parameters(paramLabel = "<topic>", converter = OptionConverters.Name.class, arity = "0..*", description = "Topics (default: all).")
            List<String> topics) {
        try (Log log = LogAccess.openForReading(logDir.resolve(terminal), terminal)) {
            List<String> names = topics == null || topics.isEmpty() ? new ArrayList<>(new TreeSet<>(log.topics()))
                    : topics;
            boolean first = true;
            for (String t : names) {
                if (!first) {
                    terminal.out().println();
                }
                first = false;
                print(terminal.out(), describeOrExplain(log, t));
            }
        }
        return ExitCode.OK;
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete topics and their data.")
    int delete(@Mixin LogDirOption logDir,
            @Parameters(paramLabel = "<topic>", converter = OptionConverters.Name.class, arity = "1..*", description = "Topics to delete.") List<String> topics,
            @Option(names = "--if-exists", description = "Succeed without change for a topic that does not exist.")
            boolean ifExists) {
        try (Log log = LogAccess.openForWriting(logDir.resolve(terminal), "topic delete", false,
                LogAccess.STOP_OWNER)) {
            for (String t : topics) {
                if (!log.topics().contains(t)) {
                    if (ifExists) {
                        continue;
                    }
                    throw CliException.failure("no topic " + t + " in " + log.directory() + " (topics: "
                            + new TreeSet<>(log.topics()) + "; add --if-exists to accept that)");
                }
                log.deleteTopic(t);
                terminal.out().println("deleted topic " + t);
            }
        }
        return ExitCode.OK;
    }

    /** The topic's description, or a failure listing the topics there are. */
    static TopicDescription describeOrExplain(Log log, String topic) {
        try {
            return log.describe(topic);
        } catch (UnknownTopicException e) {
            throw unknownTopic(log, topic);
        }
    }

    /** The failure for a topic that is not in {@code log}, listing those that are. */
    static CliException unknownTopic(Log log, String topic) {
        return CliException.failure("no topic " + topic + " in " + log.directory() + " (topics: "
                + new TreeSet<>(log.topics()) + ")");
    }

    private static void print(PrintStream out, TopicDescription d) {
        TopicConfig c = d.config();
        int segments = d.partitions().stream().mapToInt(PartitionInfo::segmentCount).sum();
        out.println("topic " + d.name());
        out.println("  " + summary(c));
        out.println("  size: " + ByteSize.format(d.sizeInBytes()) + " (" + d.sizeInBytes() + " bytes), segments: "
                + segments);
        Table table = new Table("PARTITION", "START-OFFSET", "END-OFFSET", "SIZE-BYTES", "SEGMENTS", "DURABLE-OFFSET");
        for (PartitionInfo p : d.partitions()) {
            table.row(p.partition().partition(), p.startOffset(), p.endOffset(), p.sizeInBytes(), p.segmentCount(),
                    p.recoveryPoint());
        }
        table.print(out, "  ");
    }

    /** One line of a topic's settings. */
    static String summary(TopicConfig c) {
        LogConfig defaults = LogConfig.defaults();
        return "partitions: " + c.partitionCount()
                + ", cleanup: " + OptionConverters.name(c.cleanupPolicy())
                + ", retention: " + (c.retention() == null ? "unlimited" : Durations.format(c.retention()))
                + ", retention-bytes: " + (c.retentionBytes() == TopicConfig.UNLIMITED ? "unlimited"
                        : ByteSize.format(c.retentionBytes()))
                + ", compression: " + OptionConverters.name(c.compression())
                + ", segment-bytes: " + (c.segmentBytes() == TopicConfig.UNLIMITED
                        ? ByteSize.format(defaults.segmentBytes()) + " (log default)" : ByteSize.format(c.segmentBytes()))
                + ", segment-age: " + (c.segmentAgeMs() == TopicConfig.UNLIMITED
                        ? Durations.format(defaults.segmentAge()) + " (log default)"
                        : Durations.format(Duration.ofMillis(c.segmentAgeMs())));
    }
}
