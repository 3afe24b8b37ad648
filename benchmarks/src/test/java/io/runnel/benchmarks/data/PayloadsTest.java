package io.runnel.benchmarks.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class PayloadsTest {

    @Test
    void shouldMakeDeterministicDistinctValues() {
        Payloads payloads = new Payloads(42, 100);
        assertThat(payloads.value(7)).hasSize(100).isEqualTo(new Payloads(42, 100).value(7));
        assertThat(payloads.value(7)).isNotEqualTo(payloads.value(8));
    }

    @Test
    void shouldSumTheHashesOfAllValuesAsTheExpectedChecksum() {
        Payloads payloads = new Payloads(3, 100);
        long sum = 0;
        for (int i = 0; i < 1_000; i++) {
            sum += Payloads.hash(payloads.value(i));
        }
        assertThat(payloads.expectedChecksum(1_000)).isEqualTo(sum);
    }

    @Test
    void shouldChangeTheChecksumWhenOneByteChanges() {
        byte[] value = new Payloads(3, 100).value(0);
        long before = Payloads.hash(value);
        value[99] ^= 1;
        assertThat(Payloads.hash(value)).isNotEqualTo(before);
    }

    @Test
    void shouldChangeTheHashWhenTwoWordsAreSwappedOrOneIsMissing() {
        byte[] value = new Payloads(3, 100).value(0);
        long before = Payloads.hash(value);
        byte[] swapped = value.clone();
        System.arraycopy(value, 0, swapped, 8, 8);
        System.arraycopy(value, 8, swapped, 0, 8);
        assertThat(Payloads.hash(swapped)).isNotEqualTo(before);
        assertThat(Payloads.hash(value, 8, 92)).isNotEqualTo(before);
    }

    @Test
    void shouldHashAValueInABufferAsTheSameBytesInAnArray() {
        byte[] value = new Payloads(3, 100).value(5);
        byte[] framed = new byte[130];
        System.arraycopy(value, 0, framed, 17, 100);
        ByteBuffer direct = ByteBuffer.allocateDirect(130).put(framed).asReadOnlyBuffer();
        ByteBuffer heap = ByteBuffer.wrap(framed);
        for (ByteBuffer b : new ByteBuffer[] {direct, heap, heap.asReadOnlyBuffer()}) {
            b.limit(117).position(17);
            assertThat(Payloads.hash(b)).as("%s", b).isEqualTo(Payloads.hash(value));
            assertThat(b.position()).isEqualTo(117);
        }
        assertThat(Payloads.hash(framed, 17, 100)).isEqualTo(Payloads.hash(value));
    }
}
