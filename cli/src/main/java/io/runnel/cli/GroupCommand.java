package io.runnel.cli;

import io.runnel.log.ConsumerGroups;
import io.runnel.log.ConsumerGroups.GroupDescription;
import io.runnel.log.ConsumerGroups.MemberDescription;
import io.runnel.log.ConsumerGroups.PartitionOffsets;
import io.runnel.log.GroupActiveException;
import io.runnel.log.Log;
import io.runnel.log.OffsetReset;
import io.runnel.log.TopicPartition;
import io.runnel.log.UnknownTopicException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code runnel group list|describe|reset}. */
@Command(name = "group", mixinStandardHelpOptions = true,
        description = "List consumer groups, show their offsets and lag, reset them.")
final class GroupCommand implements Callable<Integer> {
    private final Terminal terminal;

    @Spec
    CommandSpec spec;

    GroupCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        return Usage.missingSubcommand(spec);
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Print the groups with committed offsets or active members, one per line.")
    int list(@Mixin LogDirOption logDir) {
        try (Log log = LogAccess.openForReading(logDir.resolve(terminal), terminal)) {
            for (String g : new TreeSet<>(log.groups().list())) {
                terminal.out().println(g);
            }
        }
        return ExitCode.OK;
    }

    @Command(name = "describe", mixinStandardHelpOptions = true,
            description = "Print each group's members and, per partition, the committed offset, the end offset"
                    + " and the lag (end - committed).")
    int describe(@Mixin LogDirOption logDir,
            @Parameters(paramLabel = "<group>", converter = OptionConverters.Name.class, arity = "0..*", description = "Groups (default: all).")
            List<String> groups) {
        Path dir = logDir.resolve(terminal);
        try (Log log = LogAccess.openForReading(dir, terminal)) {
            // Members live in the process that has the log open for writing: from here only its offsets show.
            boolean owned = LogAccess.isOwned(dir);
            List<String> names = groups == null || groups.isEmpty() ? new ArrayList<>(new TreeSet<>(log.groups().list()))
                    : groups;
            boolean first = true;
            for (String g : names) {
                if (!first) {
                    terminal.out().println();
                }
                first = false;
                requireKnown(log, g);
                print(terminal.out(), log.groups().describe(g), owned);
            }
        }
        return ExitCode.OK;
    }

    /** Exactly one target of {@code reset}. */
    static final class Target {
        @Option(names = "--to-earliest", required = true, description = "To each partition's start offset.")
        boolean earliest;
        @Option(names = "--to-latest", required = true, description = "To each partition's end offset (skip all).")
        boolean latest;
        @Option(names = "--to-offset", required = true, paramLabel = "<offset>",
                converter = OptionConverters.Offset.class,
                description = "To this offset, clamped to each partition's [start, end].")
        Long offset;
        @Option(names = "--to-time", required = true, paramLabel = "<time>", converter = OptionConverters.Time.class,
                description = "To the first record at or after this time: epoch ms, 2024-05-01T12:00:00Z or"
                        + " 2024-05-01 (UTC); the end if there is none.")
        Instant time;

        OffsetReset reset() {
            if (earliest) {
                return OffsetReset.earliest();
            }
            if (latest) {
                return OffsetReset.latest();
            }
            return offset != null ? OffsetReset.toOffset(offset) : OffsetReset.toTime(time);
        }
    }

    @Command(name = "reset", mixinStandardHelpOptions = true,
            description = "Move a group's committed offsets. Refused while the group has active members (and while"
                    + " another process owns the log, since its consumers may be members).")
    int reset(@Mixin LogDirOption logDir,
            @Parameters(paramLabel = "<group>", converter = OptionConverters.Name.class, description = "The group.") String group,
            @ArgGroup(exclusive = true, multiplicity = "1") Target target,
            @Option(names = "--topic", paramLabel = "<topic>", converter = OptionConverters.Name.class,
                    description = "Reset this topic's partitions; repeatable (default: every partition the group"
                            + " has offsets for).") List<String> topics) {
        try (Log log = LogAccess.openForWriting(logDir.resolve(terminal), "group reset", false,
                "stop that process first (its consumers may be members of the group; they commit when they"
                        + " close), then reset")) {
            ConsumerGroups groups = log.groups();
            List<TopicPartition> partitions = new ArrayList<>();
            if (topics == null || topics.isEmpty()) {
                if (groups.list().contains(group)) {
                    partitions.addAll(groups.describe(group).partitions().keySet());
                }
                if (partitions.isEmpty()) {
                    throw CliException.failure("group " + group + " has no committed offsets to reset: name the"
                            + " topics to reset (or to start the group at) with --topic <topic>");
                }
            } else {
                for (String t : new LinkedHashSet<>(topics)) {
                    int n;
                    try {
                        n = log.partitionCount(t);
                    } catch (UnknownTopicException e) {
                        throw TopicCommand.unknownTopic(log, t);
                    }
                    for (int p = 0; p < n; p++) {
                        partitions.add(new TopicPartition(t, p));
                    }
                }
            }
            try {
                groups.resetOffsets(group, partitions, target.reset());
            } catch (GroupActiveException e) {
                throw CliException.failure("group " + group + " has active members: stop them (close their"
                        + " consumers or jobs), then reset (" + e.getMessage() + ")");
            }
            print(terminal.out(), groups.describe(group), false);
        }
        return ExitCode.OK;
    }

    private static void requireKnown(Log log, String group) {
        Set<String> known = log.groups().list();
        if (!known.contains(group)) {
            throw CliException.failure("no group " + group + " in " + log.directory() + " (groups: "
                    + new TreeSet<>(known) + ")");
        }
    }

    private static void print(PrintStream out, GroupDescription d, boolean owned) {
        out.println("group " + d.groupId() + " (generation " + d.generation() + ")");
        if (d.members().isEmpty()) {
            out.println(owned ? "  members: not visible from here (they live in the process that owns the log)"
                    : "  members: none");
        } else {
            Table members = new Table("MEMBER", "TOPICS", "ASSIGNMENT");
            for (MemberDescription m : d.members()) {
                members.row(m.memberId(), String.join(",", new TreeSet<>(m.topics())), m.assignment().stream()
                        .sorted(PARTITION_ORDER).map(TopicPartition::toString).toList());
            }
            members.print(out, "  ");
        }
        Table offsets = new Table("TOPIC", "PARTITION", "COMMITTED", "END-OFFSET", "LAG");
        d.partitions().entrySet().stream().sorted(Map.Entry.comparingByKey(PARTITION_ORDER)).forEach(e -> {
            PartitionOffsets o = e.getValue();
            offsets.row(e.getKey().topic(), e.getKey().partition(),
                    o.committed().isPresent() ? Long.toString(o.committed().getAsLong()) : "-", o.endOffset(), o.lag());
        });
        offsets.print(out, "  ");
    }

    private static final Comparator<TopicPartition> PARTITION_ORDER = Comparator.comparing(TopicPartition::topic)
            .thenComparingInt(TopicPartition::partition);
}
