package io.runnel.streams.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForwardingSourceReaderTest {

    /** A reader of numbers that remembers what was asked of it. */
    private static final class Numbers implements SourceReader<Integer> {
        int next = 7;
        boolean closed;

        @Override
        public Status poll(SourceOutput<Integer> output, int maxRecords, Duration timeout) {
            output.collect(next++, 1000L);
            return Status.MORE;
        }

        @Override
        public byte[] position() {
            return new byte[] {(byte) next};
        }

        @Override
        public String describePosition() {
            return "numbers@" + next;
        }

        @Override
        public boolean hasBacklog() {
            return next < 9;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void shouldForwardEverythingButPollToTheWrappedReader() {
        Numbers numbers = new Numbers();
        List<String> seen = new ArrayList<>();
        SourceReader<String> strings = new ForwardingSourceReader<>(numbers) {
            @Override
            public Status poll(SourceOutput<String> output, int maxRecords, Duration timeout) {
                return numbers.poll(new SourceOutput<>() {
                    @Override
                    public void collect(Integer record, long timestampMs) {
                        seen.add("n" + record);
                    }

                    @Override
                    public void malformed(String where, byte[] raw, Throwable reason) {
                    }
                }, maxRecords, timeout);
            }
        };

        assertThat(strings.hasBacklog()).isTrue();
        strings.poll(null, 10, Duration.ZERO);
        strings.poll(null, 10, Duration.ZERO);

        assertThat(seen).containsExactly("n7", "n8");
        assertThat(strings.position()).containsExactly(9);
        assertThat(strings.describePosition()).isEqualTo("numbers@9");
        assertThat(strings.hasBacklog()).isFalse();
        strings.close();
        assertThat(numbers.closed).isTrue();
    }
}
