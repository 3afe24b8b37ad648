package io.runnel.examples.common;

import io.runnel.log.Headers;
import io.runnel.log.Log;
import io.runnel.log.Producer;
import io.runnel.log.ProducerConfig;
import io.runnel.log.ProducerRecord;
import io.runnel.log.RecordMetadata;
import io.runnel.log.Serdes;
import io.runnel.log.TopicConfig;
import io.runnel.log.TopicPartition;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The first stage of an example: the input's lines appended to a topic of the example's log, so the
 * job reads them from the log (bounded: up to the end offsets it finds when it first starts).
 *
 * <p><b>Killed at any moment and run again, the topic ends exactly as without the kill.</b> Line
 * {@code i} (0-based among the non-blank lines) always goes to partition {@code i mod P} with
 * sequence {@code i / P} of an idempotent producer. Partitions are append-only and a torn tail is
 * cut at recovery, so each partition holds a prefix of its lines; {@link #ingest} resumes at the
 * first line missing from any partition and sends on from there: lines a partition already has are
 * acknowledged as duplicates by the log, not appended twice. A run after everything is in appends
 * nothing. The input's identity (for a file: size and CRC32C) is written to {@code input.properties}
 * in the state directory before the first append, and a later run over other input is refused.
 *
 * <p>Not thread-safe: one ingestion at a time, before the job starts.
 */
public final class InputTopic {

    /** The topic the lines go to. */
    public static final String TOPIC = "input-lines";
    /** Its partitions: the job's source can be read by up to this many tasks. */
    public static final int PARTITIONS = 4;

    static final String PRODUCER_ID = "input-lines-ingest";
    private static final String IDENTITY_FILE = "input.properties";
    private static final int SEND_BATCH = 1024;

    private final Log log;
    private final Path stateDir;

    /** Ingestion into {@code log}, remembering the input's identity in {@code stateDir}. */
    public InputTopic(Log log, Path stateDir) {
        this.log = Objects.requireNonNull(log, "log");
        this.stateDir = Objects.requireNonNull(stateDir, "stateDir");
    }

    /** How the lines went: in the topic in total, and how many of those this call appended. */
    public record Ingested(long lines, long appended) {
    }

    /**
     * Appends every line of {@code input} that is not in the topic yet and returns when all are
     * durably acknowledged.
     *
     * @throws StateMismatchException if the state directory holds a run over other input
     * @throws IOException            if the input cannot be read
     */
    public Ingested ingest(LineInput input) throws IOException {
        log.createTopicIfAbsent(TOPIC, TopicConfig.partitions(PARTITIONS));
        int partitions = log.partitionCount(TOPIC);
        long[] ends = new long[partitions];
        long stored = 0;
        for (int p = 0; p < partitions; p++) {
            ends[p] = log.endOffset(new TopicPartition(TOPIC, p));
            stored += ends[p];
        }
        claim(stateDir, input.name(), input.identity(), stored);
        long resumeAt = Long.MAX_VALUE; // the first line index missing from its partition
        for (int p = 0; p < partitions; p++) {
            resumeAt = Math.min(resumeAt, p + ends[p] * partitions);
        }
        long from = resumeAt;
        long[] index = {0};
        long[] appended = {0};
        try (Producer<byte[], InputLine> producer = log.producer(Serdes.bytes(), InputLine.SERDE, ProducerConfig.idempotent(PRODUCER_ID))) {
            List<ProducerRecord<byte[], InputLine>> batch = new ArrayList<>(SEND_BATCH);
            List<CompletableFuture<RecordMetadata>> inFlight = new ArrayList<>();
            input.read((lineNumber, buffer, length, tooLong) -> {
                long i = index[0]++;
                if (i < from) {
                    return;
                }
                InputLine line = new InputLine(lineNumber, Arrays.copyOf(buffer, length), tooLong);
                int partition = (int) (i % partitions);
                batch.add(new ProducerRecord<>(TOPIC, partition, null, null, line, Headers.empty(), i / partitions));
                if (batch.size() == SEND_BATCH) {
                    appended[0] += send(producer, batch, inFlight);
                }
            });
            appended[0] += send(producer, batch, inFlight);
            producer.flush();
            appended[0] += settle(inFlight);
        }
        return new Ingested(index[0], appended[0]);
    }

    /** Sends the batch; settles acknowledged futures now and then so they do not pile up. Returns records newly appended. */
    private static long send(Producer<byte[], InputLine> producer, List<ProducerRecord<byte[], InputLine>> batch,
                             List<CompletableFuture<RecordMetadata>> inFlight) {
        if (batch.isEmpty()) {
            return 0;
        }
        inFlight.addAll(producer.sendAll(batch));
        batch.clear();
        return inFlight.size() >= 64 * SEND_BATCH ? settle(inFlight) : 0;
    }

    private static long settle(List<CompletableFuture<RecordMetadata>> inFlight) {
        long appended = 0;
        for (CompletableFuture<RecordMetadata> f : inFlight) {
            try {
                appended += f.join().duplicate() ? 0 : 1;
            } catch (CompletionException e) {
                throw new UncheckedIOException(new IOException("appending to the input topic failed: " + e.getCause(), e.getCause()));
            }
        }
        inFlight.clear();
        return appended;
    }

    /**
     * Makes {@code stateDir} the state of a run over the input {@code name} identified by
     * {@code identity}: records it on first use (before anything is appended), and refuses a state
     * directory recorded for other input, or one whose log already holds {@code storedLines} of an
     * unrecorded input.
     *
     * @throws StateMismatchException naming both inputs and the fix
     */
    static void claim(Path stateDir, String name, String identity, long storedLines) throws IOException {
        Path file = stateDir.resolve(IDENTITY_FILE);
        if (Files.exists(file)) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            }
            if (!identity.equals(p.getProperty("identity"))) {
                throw new StateMismatchException("the state directory " + stateDir + " holds a run over other input ("
                        + p.getProperty("name") + ": " + p.getProperty("identity") + "), not " + name + " (" + identity
                        + "): use another --state-dir, or delete " + stateDir + " to start over");
            }
            return;
        }
        if (storedLines > 0) {
            throw new StateMismatchException("the log in " + stateDir + " holds " + storedLines + " input lines but no record of"
                    + " which input they came from (" + file + " is missing): use another --state-dir, or delete " + stateDir
                    + " to start over");
        }
        Properties p = new Properties();
        p.setProperty("name", name);
        p.setProperty("identity", identity);
        var text = new java.io.StringWriter();
        p.store(text, "the input this state directory's run reads; a rerun must name the same input");
        AtomicFile.write(file, text.toString());
    }
}
