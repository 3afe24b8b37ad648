package io.runnel.streams;

import io.runnel.streams.connect.DeliveryGuarantee;
import io.runnel.streams.connect.Sink;
import io.runnel.streams.connect.SinkContext;
import io.runnel.streams.connect.SinkWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * An exactly-once file sink for crash tests: prepareCommit writes the lines since the last
 * checkpoint to a staged file (forced), commit moves it into {@code committed/} (idempotent: a
 * second commit of a moved file does nothing). Only committed files count as output.
 */
final class StagedFileSink implements Sink<Object> {

    private final String name;
    private final Path dir;

    StagedFileSink(String name, Path dir) {
        this.name = name;
        this.dir = dir;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public DeliveryGuarantee guarantee() {
        return DeliveryGuarantee.EXACTLY_ONCE;
    }

    /** Every committed line. */
    static List<String> committedLines(Path dir) throws IOException {
        Path committed = dir.resolve("committed");
        List<String> out = new ArrayList<>();
        if (!Files.exists(committed)) {
            return out;
        }
        try (Stream<Path> files = Files.list(committed)) {
            for (Path f : files.sorted().toList()) {
                out.addAll(Files.readAllLines(f));
            }
        }
        return out;
    }

    @Override
    public SinkWriter<Object> open(SinkContext context) {
        Path staged = dir.resolve("staged");
        Path committed = dir.resolve("committed");
        try {
            Files.createDirectories(staged);
            Files.createDirectories(committed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new SinkWriter<>() {
            private StringBuilder lines = new StringBuilder();

            @Override
            public void write(Object record) {
                lines.append(record).append('\n');
            }

            @Override
            public byte[] prepareCommit(long checkpointId) {
                if (lines.length() == 0) {
                    return new byte[0];
                }
                String file = name + "-" + context.taskIndex() + "-" + String.format("%010d", checkpointId) + ".txt";
                Path tmp = staged.resolve(file + ".tmp");
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                    ch.write(java.nio.ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8)));
                    ch.force(true);
                    Files.move(tmp, staged.resolve(file), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                lines = new StringBuilder();
                return file.getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public void commit(long checkpointId, byte[] committable) {
                if (committable.length == 0) {
                    return;
                }
                String file = new String(committable, StandardCharsets.UTF_8);
                Path from = staged.resolve(file);
                try {
                    if (Files.exists(from)) {
                        Files.move(from, committed.resolve(file), StandardCopyOption.ATOMIC_MOVE);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public void close() {
            }
        };
    }
}
