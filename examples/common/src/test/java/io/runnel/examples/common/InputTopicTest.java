package io.runnel.examples.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.log.Consumer;
import io.runnel.log.ConsumerConfig;
import io.runnel.log.ConsumerRecord;
import io.runnel.log.Headers;
import io.runnel.log.Log;
import io.runnel.log.Producer;
import io.runnel.log.ProducerConfig;
import io.runnel.log.ProducerRecord;
import io.runnel.log.Serdes;
import io.runnel.log.TopicPartition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputTopicTest {

    @TempDir
    Path stateDir;

    private static List<String> texts(int n) {
        return IntStream.range(0, n).mapToObj(i -> "line-" + i).toList();
    }

    private static LineInput generated(List<String> lines) {
        return LineInput.generated("gen", "gen n=" + lines.size(), lines::iterator);
    }

    /** What each partition holds, in offset order. */
    private static List<List<InputLine>> partitions(Log log) {
        List<List<InputLine>> result = new ArrayList<>();
        for (int p = 0; p < InputTopic.PARTITIONS; p++) {
            TopicPartition tp = new TopicPartition(InputTopic.TOPIC, p);
            List<InputLine> lines = new ArrayList<>();
            try (Consumer<byte[], InputLine> c = log.consumer(Serdes.bytes(), InputLine.SERDE, ConsumerConfig.defaults().withAutoCommit(false))) {
                c.assign(List.of(tp));
                c.seekToBeginning(List.of(tp));
                while (lines.size() < log.endOffset(tp)) {
                    for (ConsumerRecord<byte[], InputLine> r : c.poll(Duration.ofSeconds(1))) {
                        lines.add(r.value());
                    }
                }
            }
            result.add(lines);
        }
        return result;
    }

    /** Line i (0-based, line number i + 1 here: no blank lines) in partition i mod P, in order. */
    private static List<List<InputLine>> expected(List<String> texts) {
        List<List<InputLine>> result = new ArrayList<>();
        for (int p = 0; p < InputTopic.PARTITIONS; p++) {
            result.add(new ArrayList<>());
        }
        for (int i = 0; i < texts.size(); i++) {
            result.get(i % InputTopic.PARTITIONS).add(InputLine.of(i + 1, texts.get(i)));
        }
        return result;
    }

    @Test
    void shouldAppendEveryLineOnceAndNothingWhenRunAgain() throws IOException {
        List<String> texts = texts(5_000);
        try (Log log = Log.open(stateDir.resolve("log"))) {
            InputTopic topic = new InputTopic(log, stateDir);
            assertThat(topic.ingest(generated(texts))).isEqualTo(new InputTopic.Ingested(5_000, 5_000));
            assertThat(topic.ingest(generated(texts))).isEqualTo(new InputTopic.Ingested(5_000, 0));
            assertThat(partitions(log)).isEqualTo(expected(texts));
        }
    }

    @Test
    void shouldResumeAnInterruptedIngestionWithPartitionsAtDifferentPointsWithoutDuplicates() throws IOException {
        List<String> texts = texts(5_000);
        try (Log log = Log.open(stateDir.resolve("log"))) {
            InputTopic topic = new InputTopic(log, stateDir);
            // the first run dies after 2,500 lines were read (the last, partial batch never sent) ...
            Supplier<java.util.Iterator<String>> dying = () -> new java.util.Iterator<>() {
                int i;

                @Override
                public boolean hasNext() {
                    if (i == 2_500) {
                        throw new IllegalStateException("killed");
                    }
                    return true;
                }

                @Override
                public String next() {
                    return texts.get(i++);
                }
            };
            assertThatThrownBy(() -> topic.ingest(LineInput.generated("gen", "gen n=5000", dying))).hasMessage("killed");
            // ... and partition 1 had got further than the others before the kill
            try (Producer<byte[], InputLine> p = log.producer(Serdes.bytes(), InputLine.SERDE,
                    ProducerConfig.idempotent(InputTopic.PRODUCER_ID))) {
                long end = log.endOffset(new TopicPartition(InputTopic.TOPIC, 1));
                for (long seq = end; seq < end + 300; seq++) {
                    int i = (int) (seq * InputTopic.PARTITIONS + 1);
                    p.send(new ProducerRecord<>(InputTopic.TOPIC, 1, null, null, InputLine.of(i + 1, texts.get(i)), Headers.empty(), seq));
                }
            }
            assertThat(topic.ingest(generated(texts)).lines()).isEqualTo(5_000);
            assertThat(partitions(log)).isEqualTo(expected(texts));
        }
    }

    @Test
    void shouldRefuseToMixAnotherInputIntoTheStateDirectory() throws IOException {
        Path a = stateDir.resolve("a.jsonl");
        Files.writeString(a, "x\ny\n");
        try (Log log = Log.open(stateDir.resolve("log"))) {
            InputTopic topic = new InputTopic(log, stateDir);
            topic.ingest(LineInput.file(a));
            Files.writeString(a, "x\ny\nz\n"); // the file grew: another input
            assertThatThrownBy(() -> topic.ingest(LineInput.file(a)))
                    .isInstanceOf(StateMismatchException.class)
                    .hasMessageContaining("holds a run over other input")
                    .hasMessageContaining("use another --state-dir, or delete " + stateDir);
        }
    }
}
