package io.runnel.connectors;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.connectors.generator.GeneratorSource;
import io.runnel.connectors.internal.PositionCodec;
import io.runnel.streams.connect.DeliveryGuarantee;
import io.runnel.streams.connect.Sink;
import io.runnel.streams.connect.SinkContext;
import io.runnel.streams.connect.SinkWriter;
import io.runnel.streams.connect.Source;
import io.runnel.streams.connect.SourceContext;
import io.runnel.streams.connect.SourceOutput;
import io.runnel.streams.connect.SourceReader;
import io.runnel.streams.connect.SourceSplit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract suites are oracles: each is shown failing against a deliberately broken connector,
 * so a connector that passes them really has the property they check.
 */
class ContractSuitesCatchBrokenConnectorsTest {

    @TempDir
    Path dir;

    /** Wraps the generator and breaks one thing about its readers. */
    private static final class BrokenSource implements Source<Long> {
        enum Fault { POSITION_SKIPS_ONE, LEAKS_FILE, NEVER_ENDS }

        private final Source<Long> inner = GeneratorSource.of("n", 1, (split, seq, random) -> seq).withLimit(100);
        private final Fault fault;
        private final Path dir;

        BrokenSource(Fault fault, Path dir) {
            this.fault = fault;
            this.dir = dir;
        }

        @Override
        public String name() {
            return "broken";
        }

        @Override
        public boolean isBounded() {
            return true;
        }

        @Override
        public List<SourceSplit> splits() {
            return inner.splits();
        }

        @Override
        public SourceReader<Long> open(SourceSplit split, SourceContext context) {
            SourceReader<Long> reader = inner.open(split, context);
            FileChannel leaked = fault == Fault.LEAKS_FILE ? openSomething() : null;
            return new SourceReader<>() {
                @Override
                public Status poll(SourceOutput<Long> output, int maxRecords, Duration timeout) {
                    Status status = reader.poll(output, maxRecords, timeout);
                    return fault == Fault.NEVER_ENDS && status == Status.END ? Status.CAUGHT_UP : status;
                }

                @Override
                public byte[] position() {
                    long next = PositionCodec.decode(reader.position(), 1, "test")[0];
                    return fault == Fault.POSITION_SKIPS_ONE && next > 0 ? PositionCodec.encode(next + 1) : reader.position();
                }

                @Override
                public void close() {
                    reader.close(); // a LEAKS_FILE reader forgets its channel
                }
            };
        }

        // Held strongly: an unreachable FileChannel's descriptor is closed by its cleaner at the next GC.
        private static final List<FileChannel> LEAKED = new ArrayList<>();

        private FileChannel openSomething() {
            try {
                FileChannel channel = FileChannel.open(Files.createTempFile(dir, "leak", ".tmp"), StandardOpenOption.READ);
                LEAKED.add(channel);
                return channel;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private SourceContractTest<Long> sourceSuite(BrokenSource.Fault fault) throws Exception {
        SourceContractTest<Long> suite = new SourceContractTest<>() {
            @Override
            protected Source<Long> createSource(Path d) {
                return new BrokenSource(fault, d);
            }

            @Override
            protected Duration patience() {
                return Duration.ofMillis(500);
            }
        };
        suite.tempDir = dir;
        suite.createSourceUnderTest();
        return suite;
    }

    @Test
    void sourceSuiteShouldCatchPositionThatSkipsARecord() throws Exception {
        SourceContractTest<Long> suite = sourceSuite(BrokenSource.Fault.POSITION_SKIPS_ONE);
        assertThatThrownBy(suite::shouldContinueExactlyAfterStoredPosition).isInstanceOf(AssertionError.class);
        assertThatThrownBy(suite::shouldLoseNothingWhenReopenedAtCheckpointAfterCrash).isInstanceOf(AssertionError.class);
    }

    @Test
    void sourceSuiteShouldCatchLeakedFile() throws Exception {
        try {
            assertThatThrownBy(sourceSuite(BrokenSource.Fault.LEAKS_FILE)::shouldReleaseResourcesOnClose)
                    .isInstanceOf(AssertionError.class).hasMessageContaining("file descriptors");
        } finally {
            for (FileChannel channel : BrokenSource.LEAKED) {
                channel.close();
            }
            BrokenSource.LEAKED.clear();
        }
    }

    @Test
    void sourceSuiteShouldCatchBoundedSourceThatNeverEnds() throws Exception {
        assertThatThrownBy(sourceSuite(BrokenSource.Fault.NEVER_ENDS)::shouldEndWhenBounded).isInstanceOf(AssertionError.class);
    }

    /** An in-memory sink with one bug. */
    private static final class BrokenSink implements Sink<Integer> {
        enum Fault { COMMIT_NOT_IDEMPOTENT, PUBLISHES_ON_WRITE, LOSES_RESTORED_COMMITTABLE }

        final List<Integer> visible = new ArrayList<>();
        private final Fault fault;

        BrokenSink(Fault fault) {
            this.fault = fault;
        }

        @Override
        public String name() {
            return "broken";
        }

        @Override
        public DeliveryGuarantee guarantee() {
            return DeliveryGuarantee.EXACTLY_ONCE;
        }

        @Override
        public SinkWriter<Integer> open(SinkContext context) {
            return new SinkWriter<>() {
                private final List<Integer> pending = new ArrayList<>();
                private final List<Integer> staged = new ArrayList<>();

                @Override
                public void write(Integer record) {
                    if (fault == Fault.PUBLISHES_ON_WRITE) {
                        visible.add(record);
                    } else {
                        pending.add(record);
                    }
                }

                @Override
                public byte[] prepareCommit(long checkpointId) {
                    staged.addAll(pending);
                    pending.clear();
                    StringBuilder ids = new StringBuilder();
                    staged.forEach(i -> ids.append(i).append(','));
                    return ids.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                }

                @Override
                public void commit(long checkpointId, byte[] committable) {
                    List<Integer> records = new ArrayList<>();
                    for (String id : new String(committable, java.nio.charset.StandardCharsets.UTF_8).split(",")) {
                        if (!id.isEmpty()) {
                            records.add(Integer.parseInt(id));
                        }
                    }
                    if (fault == Fault.LOSES_RESTORED_COMMITTABLE && staged.isEmpty()) {
                        return; // a reopened writer ignores what it did not stage itself
                    }
                    if (fault == Fault.COMMIT_NOT_IDEMPOTENT) {
                        visible.addAll(records);
                    } else {
                        records.stream().filter(r -> !visible.contains(r)).forEach(visible::add);
                    }
                    staged.clear();
                }

                @Override
                public void close() {
                }
            };
        }
    }

    private SinkContractTest<Integer> sinkSuite(BrokenSink.Fault fault) throws Exception {
        BrokenSink sink = new BrokenSink(fault);
        SinkContractTest<Integer> suite = new SinkContractTest<>() {
            @Override
            protected Sink<Integer> createSink(Path d) {
                return sink;
            }

            @Override
            protected Integer record(int i) {
                return i;
            }

            @Override
            protected List<Integer> published() {
                return List.copyOf(sink.visible);
            }

            @Override
            protected boolean publishesOnlyOnCommit() {
                return true;
            }
        };
        suite.tempDir = dir;
        suite.createSinkUnderTest();
        return suite;
    }

    @Test
    void sinkSuiteShouldCatchCommitThatIsNotIdempotent() throws Exception {
        assertThatThrownBy(sinkSuite(BrokenSink.Fault.COMMIT_NOT_IDEMPOTENT)::shouldIgnoreRepeatedCommit)
                .isInstanceOf(AssertionError.class).hasMessageContaining("exactly once");
    }

    @Test
    void sinkSuiteShouldCatchUncommittedWritesBeingVisible() throws Exception {
        assertThatThrownBy(sinkSuite(BrokenSink.Fault.PUBLISHES_ON_WRITE)::shouldShowNothingUncommitted).isInstanceOf(AssertionError.class);
    }

    @Test
    void sinkSuiteShouldCatchLossOfRestoredCommittable() throws Exception {
        assertThatThrownBy(sinkSuite(BrokenSink.Fault.LOSES_RESTORED_COMMITTABLE)::shouldRecommitRestoredCheckpointAfterCrashBeforeCommit)
                .isInstanceOf(AssertionError.class);
    }
}
