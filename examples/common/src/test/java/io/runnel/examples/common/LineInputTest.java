package io.runnel.examples.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineInputTest {

    @TempDir
    Path dir;

    private static List<InputLine> read(LineInput input) throws IOException {
        List<InputLine> lines = new ArrayList<>();
        input.read((n, buffer, length, tooLong) -> lines.add(new InputLine(n, Arrays.copyOf(buffer, length), tooLong)));
        return lines;
    }

    @Test
    void shouldNumberPhysicalLinesSkippingBlankOnesAcceptingCrLfAndALastLineWithoutNewline() throws IOException {
        Path f = dir.resolve("e.jsonl");
        Files.writeString(f, "a\r\n\n  \nb\nc");
        assertThat(read(LineInput.file(f))).containsExactly(InputLine.of(1, "a"), InputLine.of(4, "b"), InputLine.of(5, "c"));
    }

    @Test
    void shouldKeepBytesAsTheyAreAndCutOnlyLinesOverTheLimit() throws IOException {
        Path f = dir.resolve("e.jsonl");
        byte[] invalidUtf8 = {'{', (byte) 0xff, (byte) 0xfe, '}'};
        byte[] longLine = new byte[InputLine.MAX_LINE_BYTES + 10];
        Arrays.fill(longLine, (byte) 'x');
        byte[] exactLimit = new byte[InputLine.MAX_LINE_BYTES];
        Arrays.fill(exactLimit, (byte) 'y');
        try (var out = Files.newOutputStream(f)) {
            out.write(invalidUtf8);
            out.write('\n');
            out.write(longLine);
            out.write('\n');
            out.write(exactLimit);
            out.write("\nz\n".getBytes(StandardCharsets.UTF_8));
        }
        List<InputLine> lines = read(LineInput.file(f));
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).isEqualTo(new InputLine(1, invalidUtf8, false));
        assertThat(lines.get(1).tooLong()).isTrue();
        assertThat(lines.get(1).bytes()).hasSize(InputLine.KEPT_OF_LONG_LINE);
        assertThat(lines.get(2)).isEqualTo(new InputLine(3, exactLimit, false));
        assertThat(lines.get(3)).isEqualTo(InputLine.of(4, "z"));
    }

    @Test
    void shouldIdentifyAFileByItsContentNotItsPath() throws IOException {
        Path a = dir.resolve("a.jsonl");
        Path b = dir.resolve("b.jsonl");
        Files.writeString(a, "x\ny\n");
        Files.writeString(b, "x\ny\n");
        assertThat(LineInput.file(a).identity()).isEqualTo(LineInput.file(b).identity());
        Files.writeString(b, "x\nz\n");
        assertThat(LineInput.file(a).identity()).isNotEqualTo(LineInput.file(b).identity());
    }

    @Test
    void shouldRoundTripLinesThroughTheSerde() {
        InputLine line = new InputLine(17, new byte[] {1, 2, (byte) 0xff}, true);
        assertThat(InputLine.SERDE.deserialize(InputLine.SERDE.serialize(line))).isEqualTo(line);
    }
}
