package io.runnel.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.streams.connect.Source;
import io.runnel.streams.connect.SourceContext;
import io.runnel.streams.connect.SourceReader;
import io.runnel.streams.connect.SourceSplit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every {@link Source} passes, driven directly through the SPI without the streams
 * runtime. Extend it, implement {@link #createSource}, and the tests check:
 * <ul>
 *   <li>the same split read twice from the same position gives the same records (replay);</li>
 *   <li>a reader reopened at a stored position gives exactly the rest, at several cut points;</li>
 *   <li>after a simulated crash (records read past the checkpointed position, reader closed without
 *       the position being stored) reopening at the checkpointed position loses nothing;</li>
 *   <li>{@code poll} never delivers more than {@code maxRecords};</li>
 *   <li>a bounded source ends ({@code END}), and reopened at its end stays ended;</li>
 *   <li>{@code close} releases file descriptors and threads.</li>
 * </ul>
 * Unbounded sources are read up to {@link #sampleSize()} records per split (or until caught up).
 *
 * @param <T> the record type
 */
public abstract class SourceContractTest<T> {

    @TempDir
    protected Path tempDir;

    private Source<T> source;

    /**
     * Creates the source under test over deterministic content it may put in {@code dir}. Called
     * once per test; the content must not change while the test reads it (except by design, as a
     * followed file's test appends).
     */
    protected abstract Source<T> createSource(Path dir) throws Exception;

    /** Records read per split in the restart tests; an unbounded source must offer at least this many. */
    protected int sampleSize() {
        return 60;
    }

    /** The number of deliveries (records and malformed reports) of the whole bounded source, or -1 if not checked. */
    protected long expectedBoundedCount() {
        return -1;
    }

    /** How long a test waits for records before it gives up. */
    protected Duration patience() {
        return Duration.ofSeconds(30);
    }

    protected Duration pollTimeout() {
        return Duration.ofMillis(100);
    }

    @BeforeEach
    void createSourceUnderTest() throws Exception {
        source = createSource(tempDir);
        assertThat(source.name()).as("source name").isNotBlank();
        assertThat(source.splits()).as("splits of a fresh start").isNotEmpty();
    }

    protected final Source<T> source() {
        return source;
    }

    protected SourceContext context(int taskIndex) {
        return new SourceContext("contract-test", source.name(), taskIndex, 1);
    }

    @Test
    void shouldReplaySameRecordsFromSamePosition() throws Exception {
        for (SourceSplit split : source.splits()) {
            List<Object> first = readFrom(split, sampleSize()).identities;
            List<Object> second = readFrom(split, sampleSize()).identities;
            assertThat(first).as("split %s read from its start", split.id()).isNotEmpty();
            assertThat(second).as("split %s read again from its start", split.id()).isEqualTo(first);
        }
    }

    @Test
    void shouldContinueExactlyAfterStoredPosition() throws Exception {
        for (SourceSplit split : source.splits()) {
            List<Object> whole = readFrom(split, sampleSize()).identities;
            int n = whole.size();
            for (int cut : new int[] {0, 1, n / 3, n / 2, n - 1, n}) {
                if (cut < 0 || cut > n) {
                    continue;
                }
                Read head = readFrom(split, cut);
                assertThat(head.identities).as("first %d of split %s", cut, split.id()).isEqualTo(whole.subList(0, cut));
                Read tail = readFrom(split.withPosition(head.position), n - cut);
                List<Object> joined = new ArrayList<>(head.identities);
                joined.addAll(tail.identities);
                assertThat(joined).as("split %s restarted after %d records", split.id(), cut).isEqualTo(whole);
            }
        }
    }

    @Test
    void shouldLoseNothingWhenReopenedAtCheckpointAfterCrash() throws Exception {
        for (SourceSplit split : source.splits()) {
            int n = sampleSize();
            SourceReader<T> reader = source.open(split, context(0));
            CollectingOutput<T> out = new CollectingOutput<>();
            pollUntil(reader, out, n / 2);
            byte[] checkpointed = reader.position();
            int atCheckpoint = out.size();
            pollUntil(reader, out, n); // read on past the checkpoint: these are lost in the crash
            List<Object> afterCheckpoint = out.identities().subList(atCheckpoint, out.size());
            reader.close(); // the crash: the position after these was never stored

            Read replay = readFrom(split.withPosition(checkpointed), afterCheckpoint.size());
            assertThat(replay.identities).as("replay of split %s after the checkpoint", split.id()).isEqualTo(afterCheckpoint);
        }
    }

    @Test
    void shouldNeverDeliverMoreThanMaxRecords() throws Exception {
        SourceSplit split = source.splits().get(0);
        try (SourceReader<T> reader = source.open(split, context(0))) {
            CollectingOutput<T> out = new CollectingOutput<>();
            long deadline = System.nanoTime() + patience().toNanos();
            int polls = 0;
            int caughtUp = 0;
            while (out.size() < sampleSize() && System.nanoTime() < deadline && polls < 10_000 && caughtUp < 2) {
                int before = out.size();
                SourceReader.Status status = reader.poll(out, 3, pollTimeout());
                polls++;
                assertThat(out.size() - before).as("records delivered by poll(maxRecords=3)").isLessThanOrEqualTo(3);
                if (status == SourceReader.Status.END) {
                    break;
                }
                caughtUp = status == SourceReader.Status.CAUGHT_UP ? caughtUp + 1 : 0;
                if (status == SourceReader.Status.MORE) {
                    assertThat(out.size()).as("MORE means something was delivered").isGreaterThan(before);
                }
            }
        }
    }

    @Test
    void shouldEndWhenBounded() throws Exception {
        if (!source.isBounded()) {
            return;
        }
        long total = 0;
        for (SourceSplit split : source.splits()) {
            SourceReader<T> reader = source.open(split, context(0));
            CollectingOutput<T> out = new CollectingOutput<>();
            SourceReader.Status status = drain(reader, out);
            assertThat(status).as("bounded split %s ends", split.id()).isEqualTo(SourceReader.Status.END);
            byte[] end = reader.position();
            reader.close();
            total += out.size();

            try (SourceReader<T> reopened = source.open(split.withPosition(end), context(0))) {
                CollectingOutput<T> more = new CollectingOutput<>();
                assertThat(drain(reopened, more)).as("split %s reopened at its end", split.id()).isEqualTo(SourceReader.Status.END);
                assertThat(more.deliveries()).as("records after the end of split %s", split.id()).isEmpty();
            }
        }
        if (expectedBoundedCount() >= 0) {
            assertThat(total).as("deliveries of the whole bounded source").isEqualTo(expectedBoundedCount());
        }
    }

    @Test
    void shouldReleaseResourcesOnClose() throws Exception {
        SourceSplit split = source.splits().get(0);
        readFrom(split, sampleSize()); // warm up: classes loaded, lazily started JDK threads running
        Set<String> fdsBefore = Resources.openFiles();
        Set<Thread> threadsBefore = Resources.liveThreads();
        for (int i = 0; i < 3; i++) {
            readFrom(split, sampleSize());
        }
        assertThat(Resources.leaksSince(fdsBefore, threadsBefore, Duration.ofSeconds(5))).as("left open after close").isEmpty();
    }

    @Test
    void shouldReturnSamePositionWithoutReading() throws Exception {
        SourceSplit split = source.splits().get(0);
        Read head = readFrom(split, Math.min(5, sampleSize()));
        try (SourceReader<T> reader = source.open(split.withPosition(head.position), context(0))) {
            assertThat(reader.position()).as("position of a reader that read nothing").isEqualTo(head.position);
        }
    }

    /** What a reader delivered and where it stood after. */
    protected record Read(List<Object> identities, byte[] position) {
    }

    /** Opens {@code split}, reads exactly {@code count} deliveries (or until the split ends or is caught up), closes. */
    protected Read readFrom(SourceSplit split, int count) throws Exception {
        try (SourceReader<T> reader = source.open(split, context(0))) {
            CollectingOutput<T> out = new CollectingOutput<>();
            pollUntil(reader, out, count);
            return new Read(List.copyOf(out.identities()), reader.position());
        }
    }

    /** Polls until {@code out} holds {@code count} deliveries, or END, or caught up twice in a row, or out of patience. */
    protected SourceReader.Status pollUntil(SourceReader<T> reader, CollectingOutput<T> out, int count) {
        long deadline = System.nanoTime() + patience().toNanos();
        int caughtUp = 0;
        SourceReader.Status status = SourceReader.Status.MORE;
        while (out.size() < count && System.nanoTime() < deadline) {
            status = reader.poll(out, count - out.size(), pollTimeout());
            if (status == SourceReader.Status.END) {
                return status;
            }
            caughtUp = status == SourceReader.Status.CAUGHT_UP ? caughtUp + 1 : 0;
            if (caughtUp >= 2) {
                return status;
            }
        }
        return status;
    }

    private SourceReader.Status drain(SourceReader<T> reader, CollectingOutput<T> out) {
        long deadline = System.nanoTime() + patience().toNanos();
        SourceReader.Status status;
        do {
            status = reader.poll(out, 1000, pollTimeout());
        } while (status != SourceReader.Status.END && System.nanoTime() < deadline);
        return status;
    }
}
