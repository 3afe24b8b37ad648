package io.runnel.examples.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.streams.CollectionSource;
import io.runnel.streams.connect.SourceContext;
import io.runnel.streams.connect.SourceOutput;
import io.runnel.streams.connect.SourceReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParsedSourceTest {

    private static final LineParser<Integer> NUMBERS = line -> {
        try {
            return Integer.parseInt(line.text());
        } catch (NumberFormatException e) {
            throw new MalformedLineException("not a number: " + line.text());
        }
    };

    @Test
    void shouldParseEachLineAndReportBadOnesAsMalformedAtTheirLineNumber() {
        var lines = CollectionSource.of("log:input-lines", List.of(InputLine.of(1, "10"), InputLine.of(3, "x"), InputLine.of(4, "12")));
        ParsedSource<Integer> source = ParsedSource.of(lines, "events.jsonl", NUMBERS);
        assertThat(source.name()).isEqualTo("log:input-lines");
        assertThat(source.isBounded()).isTrue();

        List<Integer> records = new ArrayList<>();
        List<String> malformed = new ArrayList<>();
        try (SourceReader<Integer> reader = source.open(source.splits().get(0), new SourceContext("job", source.name(), 0, 1))) {
            SourceOutput<Integer> out = new SourceOutput<>() {
                @Override
                public void collect(Integer record, long timestampMs) {
                    records.add(record);
                }

                @Override
                public void malformed(String where, byte[] raw, Throwable reason) {
                    malformed.add(where + " " + new String(raw, StandardCharsets.UTF_8) + " " + reason);
                }
            };
            while (reader.poll(out, 10, Duration.ZERO) != SourceReader.Status.END) {
                assertThat(reader.describePosition()).startsWith("events.jsonl:");
            }
        }
        assertThat(records).containsExactly(10, 12);
        assertThat(malformed).containsExactly("events.jsonl:3 x not a number: x");
    }
}
