package io.runnel.cli;

import static io.runnel.cli.CliRunner.run;
import static io.runnel.cli.CliRunner.runWithInput;
import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.log.CleanupPolicy;
import io.runnel.log.Compression;
import io.runnel.log.Log;
import io.runnel.log.PartitionInfo;
import io.runnel.log.TopicConfig;
import io.runnel.log.TopicDescription;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopicCommandTest {
    @TempDir
    Path dir;

    private String logDir() {
        return "--log-dir=" + dir;
    }

    @Test
    void shouldCreateTopicWithEverySetting() {
        CliRunner.Result r = run("topic", "create", "orders", logDir(), "--partitions", "3", "--retention", "7d",
                "--retention-bytes", "10GiB", "--cleanup", "compact", "--compression", "zstd", "--segment-bytes",
                "64KiB", "--segment-age", "1h");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("created topic orders");
        try (Log log = Log.open(dir)) {
            TopicConfig c = log.topicConfig("orders");
            assertThat(c.partitionCount()).isEqualTo(3);
            assertThat(c.retention()).isEqualTo(Duration.ofDays(7));
            assertThat(c.retentionBytes()).isEqualTo(10L << 30);
            assertThat(c.cleanupPolicy()).isEqualTo(CleanupPolicy.COMPACT);
            assertThat(c.compression()).isEqualTo(Compression.ZSTD);
            assertThat(c.segmentBytes()).isEqualTo(64 * 1024);
            assertThat(c.segmentAgeMs()).isEqualTo(Duration.ofHours(1).toMillis());
        }
    }

    @Test
    void shouldListDescribeAndDeleteTopics() {
        assertThat(run("topic", "create", "b-topic", logDir()).exitCode()).isZero();
        assertThat(run("topic", "create", "a-topic", logDir(), "--partitions", "2", "--segment-bytes", "1KiB")
                .exitCode()).isZero();
        // Four produce runs of ~2.7 KiB per partition each: every run leaves a batch larger than a segment.
        String padding = "x".repeat(100);
        for (int run = 0; run < 4; run++) {
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < 50; i++) {
                lines.append("value-").append(run * 50 + i).append(padding).append('\n');
            }
            assertThat(runWithInput(lines.toString(), "produce", "a-topic", logDir()).exitCode()).isZero();
        }

        CliRunner.Result list = run("topic", "list", logDir());
        assertThat(list.exitCode()).isZero();
        assertThat(list.outLines()).containsExactly("a-topic", "b-topic");

        CliRunner.Result describe = run("topic", "describe", "a-topic", logDir());
        assertThat(describe.exitCode()).as(describe.toString()).isZero();
        TopicDescription truth;
        try (Log log = Log.openReadOnly(dir)) {
            truth = log.describe("a-topic");
        }
        assertThat(describe.out()).contains("topic a-topic", "partitions: 2", "cleanup: delete",
                "retention: unlimited", "compression: none", "segment-bytes: 1.0 KiB",
                "size: ", "(" + truth.sizeInBytes() + " bytes)");
        long records = 0;
        for (PartitionInfo p : truth.partitions()) {
            assertThat(p.segmentCount()).as("small segments roll").isGreaterThan(1);
            records += p.endOffset() - p.startOffset();
            assertThat(describe.out()).containsPattern("(?m)^  " + p.partition().partition() + " +"
                    + p.startOffset() + " +" + p.endOffset() + " +" + p.sizeInBytes() + " +" + p.segmentCount() + " +");
        }
        assertThat(records).isEqualTo(200);

        CliRunner.Result all = run("topic", "describe", logDir());
        assertThat(all.out()).contains("topic a-topic", "topic b-topic");

        CliRunner.Result delete = run("topic", "delete", "b-topic", logDir());
        assertThat(delete.exitCode()).isZero();
        assertThat(run("topic", "list", logDir()).outLines()).containsExactly("a-topic");
    }

    @Test
    void shouldFailClearlyOnExistingOrMissingTopics() {
        assertThat(run("topic", "create", "t", logDir()).exitCode()).isZero();
        CliRunner.Result again = run("topic", "create", "t", logDir());
        assertThat(again.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(again.err()).contains("topic t already exists", "--if-not-exists");
        assertThat(run("topic", "create", "t", logDir(), "--if-not-exists").exitCode()).isZero();

        CliRunner.Result describe = run("topic", "describe", "nope", logDir());
        assertThat(describe.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(describe.err()).contains("no topic nope", "topics: [t]");
        CliRunner.Result delete = run("topic", "delete", "nope", logDir());
        assertThat(delete.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(delete.err()).contains("no topic nope", "--if-exists");
        assertThat(run("topic", "delete", "nope", logDir(), "--if-exists").exitCode()).isZero();

        CliRunner.Result noLog = run("topic", "list", "--log-dir", dir.resolve("absent").toString());
        assertThat(noLog.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(noLog.err()).contains("no log directory at " + dir.resolve("absent"), "--log-dir",
                "RUNNEL_LOG_DIR");
    }

    @Test
    void shouldTakeTheLogDirectoryFromTheEnvironment() {
        Map<String, String> env = Map.of(LogDirOption.ENV, dir.toString());
        CliRunner.Result create = CliRunner.run(new ByteArrayInputStream(new byte[0]), env, null, "topic", "create",
                "from-env");
        assertThat(create.exitCode()).as(create.toString()).isZero();
        try (Log log = Log.open(dir)) {
            assertThat(log.topics()).containsExactly("from-env");
        }
        assertThat(CliRunner.run(new ByteArrayInputStream(new byte[0]), env, null, "topic", "list").outLines())
                .containsExactly("from-env");
    }
}
