package io.runnel.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The {@code runnel.job.*} system properties, as {@code bin/runnel run} passes them (docs/CLI.md):
 * every form it writes is read, the command-line duration forms too, and each bad value is refused
 * with a message naming the property, the value and what to write.
 */
class JobConfigTest {

    private static JobConfig with(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return JobConfig.defaults().withOverrides(p);
    }

    @Test
    void shouldApplyWhatRunnelRunPasses() {
        JobConfig c = with("runnel.job.stateDir", "/var/lib/page-views", "runnel.job.checkpointInterval", "PT10S",
                "runnel.job.parallelism", "2", "runnel.job.badDataPolicy", "DEAD_LETTER");
        assertThat(c.stateDir()).isEqualTo(Path.of("/var/lib/page-views"));
        assertThat(c.checkpointInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.parallelism()).isEqualTo(2);
        assertThat(c.badDataPolicy()).isEqualTo(BadDataPolicy.DEAD_LETTER);
        // runnel run writes Duration#toString of its flag: 500ms is PT0.5S
        assertThat(with("runnel.job.checkpointInterval", Duration.ofMillis(500).toString()).checkpointInterval())
                .isEqualTo(Duration.ofMillis(500));
        assertThat(with("runnel.job.badDataPolicy", "dead_letter").badDataPolicy()).isEqualTo(BadDataPolicy.DEAD_LETTER);
        assertThat(with("runnel.job.parallelism", " 3 ").parallelism()).isEqualTo(3);
        JobConfig unset = with();
        assertThat(unset.parallelism()).isEqualTo(1);
        assertThat(unset.stateDir()).isNull();
    }

    @Test
    void shouldReadCommandLineDurations() {
        Map<String, Duration> forms = Map.of("10s", Duration.ofSeconds(10), "500ms", Duration.ofMillis(500), "30m",
                Duration.ofMinutes(30), "1h", Duration.ofHours(1), "1h30m", Duration.ofMinutes(90), "1d", Duration.ofDays(1),
                "1m500ms", Duration.ofMillis(60_500), "pt1m", Duration.ofMinutes(1));
        forms.forEach((text, d) -> assertThat(with("runnel.job.checkpointInterval", text).checkpointInterval()).as(text).isEqualTo(d));
    }

    @Test
    void shouldNameThePropertyAndTheFixForEveryBadValue() {
        String[][] bad = {
            {"runnel.job.parallelism", "two", "an integer from 1 to 128"},
            {"runnel.job.parallelism", "0", "an integer from 1 to 128"},
            {"runnel.job.parallelism", "129", "an integer from 1 to 128"},
            {"runnel.job.parallelism", "", "an integer from 1 to 128"},
            {"runnel.job.stateDir", " ", "a directory path"},
            {"runnel.job.stateDir", "bad\0path", "a directory path"},
            {"runnel.job.checkpointInterval", "10", "ISO-8601 like PT10S"},
            {"runnel.job.checkpointInterval", "10 s", "ISO-8601 like PT10S"},
            {"runnel.job.checkpointInterval", "1.5s", "ISO-8601 like PT10S"},
            {"runnel.job.checkpointInterval", "30m1h", "ISO-8601 like PT10S"},
            {"runnel.job.checkpointInterval", "-PT10S", "ISO-8601 like PT10S"},
            {"runnel.job.checkpointInterval", "", "ISO-8601 like PT10S"},
            {"runnel.job.checkpointInterval", "5ms", "at least 10 ms"},
            {"runnel.job.checkpointInterval", "PT0S", "at least 10 ms"},
            {"runnel.job.badDataPolicy", "IGNORE", "FAIL or DEAD_LETTER"},
        };
        for (String[] b : bad) {
            assertThatThrownBy(() -> with(b[0], b[1])).as("%s='%s'", b[0], b[1]).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("system property " + b[0] + "='" + b[1] + "'").hasMessageContaining(b[2]);
        }
    }
}
