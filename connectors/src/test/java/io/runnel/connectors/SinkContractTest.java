package io.runnel.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.streams.connect.DeliveryGuarantee;
import io.runnel.streams.connect.Sink;
import io.runnel.streams.connect.SinkContext;
import io.runnel.streams.connect.SinkWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every {@link Sink} passes, driven directly through the SPI's two-phase commit
 * without the streams runtime. Extend it, implement the three abstract methods, and the tests check:
 * <ul>
 *   <li>what is written, prepared and committed is published (exactly once for exactly-once sinks);</li>
 *   <li>{@code commit} is idempotent: the same committable again, in the same or a reopened writer,
 *       publishes nothing twice;</li>
 *   <li>a crash after a checkpoint completed but before its commit: the reopened writer re-commits
 *       the restored committable, the replay continues: nothing lost, and no duplicates for
 *       exactly-once sinks;</li>
 *   <li>a crash before a checkpoint completed: the reopened writer re-commits the previous
 *       checkpoint's committable, the sources replay everything after it: nothing lost, no
 *       duplicates for exactly-once sinks;</li>
 *   <li>a sink that {@linkplain #publishesOnlyOnCommit() stages until commit} shows nothing uncommitted;</li>
 *   <li>{@code close} releases file descriptors and threads.</li>
 * </ul>
 * Records are made by {@link #record(int)}: distinct indexes give distinct records (distinct keys
 * for upsert sinks), so the published multiset can be compared with what was written.
 *
 * @param <T> the record type
 */
public abstract class SinkContractTest<T> {

    @TempDir
    protected Path tempDir;

    private Sink<T> sink;
    private final List<SinkWriter<T>> opened = new ArrayList<>();

    /** Creates the sink under test, writing into {@code dir} or a store the test owns. Called once per test. */
    protected abstract Sink<T> createSink(Path dir) throws Exception;

    /** The record with index {@code i}: deterministic, distinct for distinct indexes. */
    protected abstract T record(int i);

    /** What a reader of the destination sees now, in any order (each published record as a {@code T}). */
    protected abstract List<T> published() throws Exception;

    /**
     * Whether nothing is visible before {@code commit}. True for sinks that stage (files published by
     * rename, topics appended at commit); false for idempotent upsert sinks that write in
     * {@code prepareCommit}.
     */
    protected boolean publishesOnlyOnCommit() {
        return false;
    }

    /** Records per batch in the tests; larger than one batch of a batching sink is a good choice. */
    protected int batch() {
        return 25;
    }

    @BeforeEach
    void createSinkUnderTest() throws Exception {
        sink = createSink(tempDir);
        assertThat(sink.name()).as("sink name").isNotBlank();
        assertThat(sink.guarantee()).as("sink guarantee").isNotNull();
    }

    @AfterEach
    void closeWriters() {
        for (SinkWriter<T> w : opened) {
            try {
                w.close();
            } catch (RuntimeException ignored) {
                // a writer a test already closed, or one left broken on purpose
            }
        }
    }

    protected final Sink<T> sink() {
        return sink;
    }

    protected SinkContext context(int taskIndex) throws Exception {
        Path stateDir = tempDir.resolve("state").resolve(sink.name().replaceAll("[^A-Za-z0-9._-]", "_") + "-" + taskIndex);
        Files.createDirectories(stateDir);
        return new SinkContext("contract-test", sink.name(), taskIndex, 1, stateDir);
    }

    protected SinkWriter<T> open() throws Exception {
        SinkWriter<T> writer = sink.open(context(0));
        opened.add(writer);
        return writer;
    }

    protected List<T> records(int from, int to) {
        return IntStream.range(from, to).mapToObj(this::record).toList();
    }

    private boolean exactlyOnce() {
        return sink.guarantee() == DeliveryGuarantee.EXACTLY_ONCE;
    }

    /** Exactly-once sinks must show exactly {@code expected} (as a multiset); at-least-once ones at least it. */
    protected void assertPublished(List<T> expected, String when) throws Exception {
        List<T> actual = published();
        if (exactlyOnce()) {
            assertThat(actual).as("published %s (exactly once)", when).containsExactlyInAnyOrderElementsOf(expected);
        } else {
            assertThat(actual).as("published %s (at least once)", when).containsAll(expected);
        }
    }

    @Test
    void shouldPublishWhatIsCommitted() throws Exception {
        SinkWriter<T> writer = open();
        records(0, batch() * 3).forEach(writer::write);
        byte[] committable = writer.prepareCommit(1);
        assertThat(committable).as("committable").isNotNull();
        writer.commit(1, committable);
        assertPublished(records(0, batch() * 3), "after the first checkpoint");

        records(batch() * 3, batch() * 4).forEach(writer::write);
        writer.commit(2, writer.prepareCommit(2));
        assertPublished(records(0, batch() * 4), "after the second checkpoint");
        writer.close();
        assertPublished(records(0, batch() * 4), "after close");
    }

    @Test
    void shouldReturnCommittableWhenNothingWasWritten() throws Exception {
        SinkWriter<T> writer = open();
        byte[] committable = writer.prepareCommit(1);
        assertThat(committable).as("committable of an empty checkpoint").isNotNull();
        writer.commit(1, committable);
        assertPublished(List.of(), "after an empty checkpoint");
    }

    @Test
    void shouldIgnoreRepeatedCommit() throws Exception {
        SinkWriter<T> writer = open();
        records(0, batch() * 2).forEach(writer::write);
        byte[] committable = writer.prepareCommit(1);
        writer.commit(1, committable);
        writer.commit(1, committable);
        assertPublished(records(0, batch() * 2), "after commit twice");
        writer.close();

        SinkWriter<T> reopened = open();
        reopened.commit(1, committable);
        assertPublished(records(0, batch() * 2), "after commit again in a reopened writer");
        records(batch() * 2, batch() * 3).forEach(reopened::write);
        reopened.commit(2, reopened.prepareCommit(2));
        reopened.commit(2, reopened.prepareCommit(2));
        assertPublished(records(0, batch() * 3), "after more records");
    }

    @Test
    void shouldRecommitRestoredCheckpointAfterCrashBeforeCommit() throws Exception {
        SinkWriter<T> writer = open();
        records(0, batch()).forEach(writer::write);
        writer.commit(1, writer.prepareCommit(1));
        records(batch(), batch() * 2).forEach(writer::write);
        byte[] second = writer.prepareCommit(2); // checkpoint 2 completes, then the crash: commit(2) never ran
        records(batch() * 2, batch() * 2 + 7).forEach(writer::write);
        crash(writer);

        SinkWriter<T> restored = open();
        restored.commit(2, second);
        assertPublished(records(0, batch() * 2), "after the restored checkpoint was committed");
        records(batch() * 2, batch() * 3).forEach(restored::write); // the sources replay from checkpoint 2
        restored.commit(3, restored.prepareCommit(3));
        assertPublished(records(0, batch() * 3), "after the replay");
    }

    @Test
    void shouldReplayFromPreviousCheckpointAfterCrashBeforeCheckpointCompleted() throws Exception {
        SinkWriter<T> writer = open();
        records(0, batch()).forEach(writer::write);
        byte[] first = writer.prepareCommit(1);
        writer.commit(1, first);
        records(batch(), batch() * 2).forEach(writer::write);
        writer.prepareCommit(2); // checkpoint 2 never completes
        records(batch() * 2, batch() * 2 + 7).forEach(writer::write);
        crash(writer);

        SinkWriter<T> restored = open();
        restored.commit(1, first); // the runtime restores checkpoint 1 and commits it again
        if (publishesOnlyOnCommit()) {
            assertPublished(records(0, batch()), "after restoring checkpoint 1");
        }
        records(batch(), batch() * 3).forEach(restored::write); // the sources replay from checkpoint 1
        restored.commit(2, restored.prepareCommit(2));
        assertPublished(records(0, batch() * 3), "after the replay");
    }

    @Test
    void shouldShowNothingUncommitted() throws Exception {
        if (!publishesOnlyOnCommit()) {
            return;
        }
        SinkWriter<T> writer = open();
        records(0, batch() * 2).forEach(writer::write);
        assertPublished(List.of(), "after writes");
        byte[] committable = writer.prepareCommit(1);
        assertPublished(List.of(), "after prepareCommit");
        writer.commit(1, committable);
        assertPublished(records(0, batch() * 2), "after commit");
        records(batch() * 2, batch() * 3).forEach(writer::write);
        writer.prepareCommit(2);
        writer.close();
        assertPublished(records(0, batch() * 2), "after close without commit");
    }

    @Test
    void shouldReleaseResourcesOnClose() throws Exception {
        writeOneCheckpoint(0); // warm up: classes loaded, lazily started JDK threads running
        Set<String> fdsBefore = Resources.openFiles();
        Set<Thread> threadsBefore = Resources.liveThreads();
        for (int round = 1; round <= 3; round++) {
            writeOneCheckpoint(round);
        }
        assertThat(Resources.leaksSince(fdsBefore, threadsBefore, Duration.ofSeconds(5))).as("left open after close").isEmpty();
    }

    private void writeOneCheckpoint(int round) throws Exception {
        try (SinkWriter<T> writer = sink.open(context(0))) {
            records(round * batch(), (round + 1) * batch()).forEach(writer::write);
            writer.commit(round + 1, writer.prepareCommit(round + 1));
        }
    }

    /**
     * Simulates a crash of the writer: by default it is closed without commit (a real crash skips
     * even that; sinks must not depend on close for correctness).
     */
    protected void crash(SinkWriter<T> writer) {
        writer.close();
    }
}
