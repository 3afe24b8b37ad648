package io.runnel.examples.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.streams.DeadLetter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeadLetterFileTest {

    @TempDir
    Path stateDir;

    @Test
    void shouldTakeTheLineNumberFromThePositionAndTheTextFromTheRawBytes() {
        DeadLetter d = new DeadLetter("log:input-lines", "events.jsonl:17", "not JSON", null,
                "{oops".getBytes(StandardCharsets.UTF_8), Long.MIN_VALUE);
        assertThat(DeadLetterEntry.of(d)).isEqualTo(new DeadLetterEntry("events.jsonl:17", 17L, "not JSON", "{oops"));
        DeadLetter afterExchange = new DeadLetter("sessions", "key u1 @5", "boom", "record", null, 5);
        assertThat(DeadLetterEntry.of(afterExchange).line()).isNull();
    }

    @Test
    void shouldGatherPublishedPartsSortedByLineAndSkipHiddenOnes() throws IOException {
        Path parts = stateDir.resolve("dead-letters");
        Files.createDirectories(parts);
        Files.writeString(parts.resolve("dead-letters-t0-cp2-0.jsonl"),
                "{\"position\":\"e:20\",\"line\":20,\"reason\":\"r\",\"text\":\"t20\"}\n");
        Files.writeString(parts.resolve("dead-letters-t1-cp1-0.jsonl"),
                "{\"position\":\"e:3\",\"line\":3,\"reason\":\"r\",\"text\":\"t3\"}\n"
                        + "{\"position\":\"late\",\"line\":null,\"reason\":\"late\",\"text\":\"x\"}\n");
        Files.writeString(parts.resolve(".dead-letters-t0-abc.jsonl.inprogress"), "{\"not\": \"published\"}\n");

        DeadLetterFile file = new DeadLetterFile(stateDir);
        assertThat(file.publish()).isEqualTo(3);
        assertThat(Files.readAllLines(file.file())).containsExactly(
                "{\"position\":\"e:3\",\"line\":3,\"reason\":\"r\",\"text\":\"t3\"}",
                "{\"position\":\"e:20\",\"line\":20,\"reason\":\"r\",\"text\":\"t20\"}",
                "{\"position\":\"late\",\"line\":null,\"reason\":\"late\",\"text\":\"x\"}");
    }
}
