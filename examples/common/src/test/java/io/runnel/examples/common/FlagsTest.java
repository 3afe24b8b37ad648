package io.runnel.examples.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.log.Durations;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FlagsTest {

    private final Flags flags = Flags.of("java -jar x.jar", "Does x.")
            .flag("--input", "<file>", "the input")
            .flag("--out-of-orderness", "<duration>", "the bound")
            .flag("--http", "<port>", "the port")
            .flag("--alert-error-rate", "<fraction>", "the threshold");

    @Test
    void shouldReadBothValueForms() {
        Flags.Parsed p = flags.parse("--input", "a.jsonl", "--out-of-orderness=500ms");
        assertThat(p.path("--input", null)).isEqualTo(Path.of("a.jsonl"));
        assertThat(p.duration("--out-of-orderness", Duration.ZERO)).isEqualTo(Duration.ofMillis(500));
        assertThat(p.port("--http")).isNull();
        assertThat(p.help()).isFalse();
        assertThat(flags.parse("--help").help()).isTrue();
    }

    @Test
    void shouldNameAnUnknownFlagAndSuggestTheClosestOne() {
        assertThatThrownBy(() -> flags.parse("--inptu", "a"))
                .isInstanceOf(UsageException.class)
                .hasMessage("unknown flag '--inptu': did you mean --input? (run with --help for the flags)");
        assertThatThrownBy(() -> flags.parse("--verbose"))
                .hasMessage("unknown flag '--verbose' (run with --help for the flags)");
    }

    @Test
    void shouldRefuseAMissingValueARepeatedFlagAndAStrayArgument() {
        assertThatThrownBy(() -> flags.parse("--input")).isInstanceOf(UsageException.class)
                .hasMessageStartingWith("--input needs a value: --input <file>");
        assertThatThrownBy(() -> flags.parse("--input", "--http", "80")).hasMessageStartingWith("--input needs a value");
        assertThatThrownBy(() -> flags.parse("--input", "a", "--input", "b")).hasMessage("--input is given twice: give it once");
        assertThatThrownBy(() -> flags.parse("a.jsonl")).hasMessageContaining("like --input a.jsonl");
    }

    @Test
    void shouldNameTheFlagAndTheFixForABadValue() {
        assertThatThrownBy(() -> flags.parse("--out-of-orderness", "5").duration("--out-of-orderness", null))
                .isInstanceOf(UsageException.class)
                .hasMessage("--out-of-orderness: '5' is not a duration (the number 5 has no unit): write "
                        + Durations.SYNTAX);
        assertThat(flags.parse("--out-of-orderness", "1m30s").duration("--out-of-orderness", null))
                .isEqualTo(Duration.ofSeconds(90));
        assertThatThrownBy(() -> flags.parse("--http", "70000").port("--http"))
                .hasMessage("--http: '70000' is not valid: write a TCP port from 1 to 65535, like 8080");
        assertThatThrownBy(() -> flags.parse("--alert-error-rate", "1.5").fraction("--alert-error-rate", 0))
                .hasMessageStartingWith("--alert-error-rate: '1.5' is not valid");
        assertThat(flags.parse("--alert-error-rate", "5%").fraction("--alert-error-rate", 0)).isEqualTo(0.05);
    }

    @Test
    void shouldListEveryFlagInTheUsage() {
        assertThat(flags.usage()).contains("Usage: java -jar x.jar [--input <file>]", "--out-of-orderness <duration>", "--help", "Does x.");
    }
}
