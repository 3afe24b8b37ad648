package io.runnel.cli;

import static io.runnel.cli.CliRunner.run;
import static io.runnel.cli.CliRunner.runWithInput;
import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.log.Consumer;
import io.runnel.log.ConsumerConfig;
import io.runnel.log.ConsumerGroups.GroupDescription;
import io.runnel.log.ConsumerGroups.PartitionOffsets;
import io.runnel.log.Log;
import io.runnel.log.Serdes;
import io.runnel.log.TopicPartition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupCommandTest {
    @TempDir
    Path dir;

    private String logDir() {
        return "--log-dir=" + dir;
    }

    @BeforeEach
    void createTopic() {
        assertThat(run("topic", "create", "events", logDir(), "--partitions", "3").exitCode()).isZero();
        assertThat(runWithInput(lines(0, 100), "produce", "events", logDir()).exitCode()).isZero();
    }

    private static String lines(int from, int to) {
        StringBuilder b = new StringBuilder();
        for (int i = from; i < to; i++) {
            b.append("e").append(i).append('\n');
        }
        return b.toString();
    }

    private GroupDescription describe(String group) {
        try (Log log = Log.openReadOnly(dir)) {
            return log.groups().describe(group);
        }
    }

    private long totalLag(String group) {
        return describe(group).partitions().values().stream().mapToLong(PartitionOffsets::lag).sum();
    }

    @Test
    void shouldCommitAsAGroupMemberShowLagAndReadAgainAfterAReset() {
        CliRunner.Result first = run("consume", "events", logDir(), "--group", "g");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.outLines()).hasSize(100);

        assertThat(run("group", "list", logDir()).outLines()).containsExactly("g");
        CliRunner.Result described = run("group", "describe", "g", logDir());
        assertThat(described.exitCode()).as(described.toString()).isZero();
        assertThat(described.out()).contains("group g", "members: none");
        GroupDescription truth = describe("g");
        assertThat(truth.partitions()).hasSize(3);
        for (var e : truth.partitions().entrySet()) {
            assertThat(e.getValue().lag()).isZero();
            assertThat(described.out()).containsPattern("(?m)^  events +" + e.getKey().partition() + " +"
                    + e.getValue().endOffset() + " +" + e.getValue().endOffset() + " +0$");
        }

        assertThat(run("consume", "events", logDir(), "--group", "g").outLines()).isEmpty();
        assertThat(runWithInput(lines(100, 110), "produce", "events", logDir()).exitCode()).isZero();
        assertThat(totalLag("g")).isEqualTo(10);
        assertThat(run("consume", "events", logDir(), "--group", "g").outLines()).hasSize(10);
        assertThat(totalLag("g")).isZero();

        CliRunner.Result reset = run("group", "reset", "g", "--to-earliest", logDir());
        assertThat(reset.exitCode()).as(reset.toString()).isZero();
        assertThat(totalLag("g")).isEqualTo(110);
        assertThat(reset.out()).containsPattern("(?m)^  events +0 +0 +");
        CliRunner.Result again = run("consume", "events", logDir(), "--group", "g");
        assertThat(again.outLines()).hasSize(110).contains("e0", "e109");
    }

    @Test
    void shouldResetToOffsetTimeAndLatest() {
        run("consume", "events", logDir(), "--group", "g");
        assertThat(run("group", "reset", "g", "--to-offset", "5", "--topic", "events", logDir()).exitCode()).isZero();
        for (PartitionOffsets o : describe("g").partitions().values()) {
            assertThat(o.committed()).isEqualTo(OptionalLong.of(5));
        }
        assertThat(run("group", "reset", "g", "--to-latest", logDir()).exitCode()).isZero();
        assertThat(totalLag("g")).isZero();

        long future = System.currentTimeMillis() + 3_600_000;
        assertThat(run("group", "reset", "g", "--to-time", Long.toString(future), logDir()).exitCode()).isZero();
        assertThat(totalLag("g")).as("no record at or after the time: the end").isZero();
        assertThat(run("group", "reset", "g", "--to-time", "2000-01-01", logDir()).exitCode()).isZero();
        assertThat(totalLag("g")).as("every record is after 2000").isEqualTo(100);
    }

    @Test
    void shouldCommitOnlyWhatWasPrinted() throws Exception {
        CliRunner.Result r = run("consume", "events", logDir(), "--group", "h", "--max-records", "7", "--format",
                "json");
        assertThat(r.outLines()).hasSize(7);
        java.util.Map<Integer, Long> printed = new java.util.HashMap<>();
        for (String line : r.outLines()) {
            var n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
            printed.merge(n.get("partition").asInt(), 1L, Long::sum);
        }
        GroupDescription d = describe("h");
        for (int p = 0; p < 3; p++) {
            PartitionOffsets o = d.partitions().get(new TopicPartition("events", p));
            if (printed.containsKey(p)) {
                assertThat(o.committed()).as("partition %d", p).isEqualTo(OptionalLong.of(printed.get(p)));
            } else {
                assertThat(o == null || o.committed().isEmpty()).as("partition %d: nothing printed, nothing"
                        + " committed", p).isTrue();
            }
        }
    }

    @Test
    void shouldRefuseResetWhileAnotherOpenOwnsTheGroupsMembers() {
        run("consume", "events", logDir(), "--group", "g");
        // The lock is per process and per open Log: an open Log in this JVM is "another process" to the CLI.
        try (Log owner = Log.open(dir);
                Consumer<byte[], byte[]> member = owner.consumer(Serdes.bytes(), Serdes.bytes(),
                        ConsumerConfig.group("g"))) {
            member.subscribe(List.of("events"));
            member.poll(Duration.ofMillis(100));
            CliRunner.Result reset = run("group", "reset", "g", "--to-earliest", logDir());
            assertThat(reset.exitCode()).isEqualTo(ExitCode.FAILURE);
            assertThat(reset.err()).contains("group reset needs to write to the log", "another process owns it",
                    "stop that process first");
            CliRunner.Result consume = run("consume", "events", logDir(), "--group", "g");
            assertThat(consume.exitCode()).isEqualTo(ExitCode.FAILURE);
            assertThat(consume.err()).contains("consume --group g needs to write", "consume without --group");
            CliRunner.Result describe = run("group", "describe", "g", logDir());
            assertThat(describe.exitCode()).isZero();
            assertThat(describe.err()).contains("owned by another process: reading it read-only");
            assertThat(describe.out()).contains("members: not visible from here");
        }
        assertThat(totalLag("g")).isZero();
    }

    @Test
    void shouldNameBadGroupOptions() {
        CliRunner.Result none = run("group", "reset", "g", logDir());
        assertThat(none.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(none.err()).contains("--to-earliest", "--to-latest", "--to-offset", "--to-time");
        CliRunner.Result two = run("group", "reset", "g", "--to-earliest", "--to-latest", logDir());
        assertThat(two.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(two.err()).contains("mutually exclusive");
        CliRunner.Result badTime = run("group", "reset", "g", "--to-time", "yesterday", logDir());
        assertThat(badTime.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(badTime.err()).contains("--to-time", "'yesterday' is not a time", "2024-05-01T12:00:00Z");
        CliRunner.Result unknown = run("group", "describe", "nope", logDir());
        assertThat(unknown.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(unknown.err()).contains("no group nope");
        CliRunner.Result mixed = run("consume", "events", logDir(), "--group", "g", "--from-beginning");
        assertThat(mixed.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(mixed.err()).contains("runnel group reset g");
        CliRunner.Result noTopic = run("group", "reset", "fresh", "--to-earliest", logDir());
        assertThat(noTopic.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(noTopic.err()).contains("--topic");
        assertThat(run("group", "reset", "fresh", "--to-offset", "3", "--topic", "events", logDir()).exitCode())
                .isZero();
        assertThat(describe("fresh").partitions().get(new TopicPartition("events", 0)).committed())
                .isEqualTo(OptionalLong.of(3));
    }
}
