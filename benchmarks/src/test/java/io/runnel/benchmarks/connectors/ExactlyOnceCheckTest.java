package io.runnel.benchmarks.connectors;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.benchmarks.CheckFailedException;
import org.junit.jupiter.api.Test;

class ExactlyOnceCheckTest {

    @Test
    void shouldPassWhenEveryIdIsReadOnceInAnyOrder() {
        ExactlyOnceCheck check = new ExactlyOnceCheck(5);
        for (long id : new long[] {3, 0, 4, 1, 2}) {
            check.read(id);
        }
        assertThatCode(check::verify).doesNotThrowAnyException();
    }

    @Test
    void shouldFailOnADuplicatedEventEvenWhenTheCountIsRight() {
        ExactlyOnceCheck check = new ExactlyOnceCheck(3);
        for (long id : new long[] {0, 1, 1}) {
            check.read(id);
        }
        assertThatThrownBy(check::verify).isInstanceOf(CheckFailedException.class)
                .hasMessageContaining("1 duplicated (first id 1)").hasMessageContaining("1 missing (first id 2)");
    }

    @Test
    void shouldFailOnAMissingOrUnknownEvent() {
        ExactlyOnceCheck missing = new ExactlyOnceCheck(3);
        missing.read(0);
        missing.read(2);
        assertThatThrownBy(missing::verify).hasMessageContaining("1 missing (first id 1)");

        ExactlyOnceCheck unknown = new ExactlyOnceCheck(2);
        unknown.read(0);
        unknown.read(1);
        unknown.read(7);
        assertThatThrownBy(unknown::verify).hasMessageContaining("1 unknown");
    }
}
