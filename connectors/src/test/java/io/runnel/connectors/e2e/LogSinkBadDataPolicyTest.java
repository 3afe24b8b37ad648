package io.runnel.connectors.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.connectors.generator.GeneratorSource;
import io.runnel.connectors.log.LogConnectorsTest;
import io.runnel.connectors.log.LogSink;
import io.runnel.log.Log;
import io.runnel.log.LogConfig;
import io.runnel.log.Serdes;
import io.runnel.log.TopicConfig;
import io.runnel.streams.BadDataPolicy;
import io.runnel.streams.CollectingSink;
import io.runnel.streams.DeadLetter;
import io.runnel.streams.JobConfig;
import io.runnel.streams.JobFailedException;
import io.runnel.streams.StreamJob;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records too large for the log, through a real job: the log sink refuses them when they are
 * written (not at commit, where a completed checkpoint could never be published); with the FAIL
 * policy the job stops naming the source position, with DEAD_LETTER records in the topic +
 * dead-lettered = input and the job completes.
 */
class LogSinkBadDataPolicyTest {
    private static final int EVENTS = 1_000;
    private static final int MAX_RECORD_BYTES = 1024;

    @TempDir
    Path dir;

    /** Every 97th value is 2 KiB, over the log's 1 KiB limit. */
    private StreamJob job(Log log, BadDataPolicy policy, CollectingSink<DeadLetter> deadLetters) {
        log.createTopic("out", TopicConfig.partitions(2));
        StreamJob job = StreamJob.named("values", JobConfig.defaults().withStateDir(dir.resolve("state-" + policy)).withBadDataPolicy(policy));
        job.source(GeneratorSource.of("values", 1, (split, seq, random) -> seq % 97 == 50 ? "big-" + seq + "-" + "x".repeat(2048) : "v" + seq)
                        .withLimit(EVENTS))
                .to(LogSink.of(log, "out", Serdes.string()).withMaxRecordBytes(MAX_RECORD_BYTES));
        if (deadLetters != null) {
            job.deadLetters().to(deadLetters);
        }
        return job;
    }

    private Log log(String name) {
        return Log.open(dir.resolve(name), LogConfig.defaults().withMaxRecordBytes(MAX_RECORD_BYTES));
    }

    @Test
    void failPolicyShouldStopNamingTheSourcePosition() {
        try (Log log = log("fail-log")) {
            assertThatThrownBy(() -> job(log, BadDataPolicy.FAIL, null).run())
                    .isInstanceOf(JobFailedException.class)
                    .hasMessageContaining("source 'values' split '0'")
                    .hasMessageContaining("event 50")
                    .hasMessageContaining("record too large for topic 'out'")
                    .hasMessageContaining("maxRecordBytes=1024");
            assertThat(LogConnectorsTest.readTopic(log, "out")).as("published: nothing after the failure's checkpoint")
                    .noneMatch(v -> v.startsWith("big-"));
        }
    }

    @Test
    void deadLetterPolicyShouldAccountForEveryRecord() {
        CollectingSink<DeadLetter> deadLetters = CollectingSink.named("dead-letters");
        try (Log log = log("dl-log")) {
            job(log, BadDataPolicy.DEAD_LETTER, deadLetters).run();
            List<String> published = LogConnectorsTest.readTopic(log, "out");
            assertThat(deadLetters.records()).hasSize(10).allSatisfy(d -> {
                assertThat((String) d.record()).startsWith("big-");
                assertThat(d.reason()).contains("record too large", "maxRecordBytes=1024");
                assertThat(d.position()).contains("split '0'");
            });
            assertThat(published).doesNotHaveDuplicates().noneMatch(v -> v.startsWith("big-"));
            assertThat(published.size() + deadLetters.records().size()).as("published + dead-lettered = input").isEqualTo(EVENTS);
        }
    }
}
