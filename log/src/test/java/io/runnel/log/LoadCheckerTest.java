package io.runnel.log;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The oracle of {@link LoadIT} is able to fail: a skipped, repeated or damaged record is reported. */
class LoadCheckerTest {

    private static ConsumerRecord<byte[], byte[]> record(int partition, long offset, byte[] value) {
        return new ConsumerRecord<>("load", partition, offset, 0L, null, value, Headers.empty());
    }

    @Test
    void shouldPassACompleteInOrderDelivery() {
        LoadChild.Checker c = new LoadChild.Checker(2, 2);
        c.accept(record(0, 0, LoadChild.value(0, 0)));
        c.accept(record(0, 1, LoadChild.value(1, 0)));
        c.accept(record(1, 0, LoadChild.value(0, 1)));
        c.accept(record(1, 1, LoadChild.value(1, 1)));
        assertThat(c.problems(null, 4)).isEmpty();
    }

    @Test
    void shouldReportARepeatedRecord() {
        LoadChild.Checker c = new LoadChild.Checker(1, 2);
        c.accept(record(0, 0, LoadChild.value(0, 0)));
        c.accept(record(0, 0, LoadChild.value(0, 0)));
        assertThat(c.problems(null, 2)).contains("violations").contains("1 missing");
    }

    @Test
    void shouldReportASkippedOffsetAndADamagedValue() {
        LoadChild.Checker c = new LoadChild.Checker(1, 3);
        c.accept(record(0, 0, LoadChild.value(0, 0)));
        c.accept(record(0, 2, LoadChild.value(0, 2))); // offset 1 skipped
        byte[] damaged = LoadChild.value(0, 1);
        damaged[50] ^= 1;
        c.accept(record(0, 3, damaged));
        assertThat(c.violations).isEqualTo(2);
        assertThat(c.firstViolation).contains("offset 2 expected 1");
    }
}
