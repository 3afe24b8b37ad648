package io.runnel.log.testing;

import io.runnel.log.format.BatchDescriptor;
import io.runnel.log.format.RecordBatch;
import io.runnel.log.storage.Storage;
import io.runnel.log.storage.StorageFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Lists the batches of segment files directly (independent of the log's own reader), for checkers. */
public final class SegmentScan {
    private SegmentScan() {
    }

    /** One batch: where it is and which offsets it covers. */
    public record BatchLocation(Path file, long position, int length, long baseOffset, long nextOffset) {
    }

    public static byte[] read(Storage storage, Path file) throws IOException {
        try (StorageFile f = storage.openRead(file)) {
            ByteBuffer b = ByteBuffer.allocate((int) f.size());
            f.read(b, 0);
            return b.array();
        }
    }

    /** The valid batches of {@code file}, stopping at the first invalid byte. */
    public static List<BatchLocation> batches(Storage storage, Path file) throws IOException {
        byte[] bytes = read(storage, file);
        List<BatchLocation> out = new ArrayList<>();
        RecordBatch b = new RecordBatch();
        int pos = 0;
        while (pos + BatchDescriptor.HEADER_LENGTH <= bytes.length) {
            try {
                b.wrap(ByteBuffer.wrap(bytes), pos).validate(64 << 20);
            } catch (RuntimeException e) {
                break;
            }
            out.add(new BatchLocation(file, pos, b.batchLength(), b.baseOffset(), b.nextOffset()));
            pos += b.batchLength();
        }
        return out;
    }

    /** All segment files of a partition directory, by base offset. */
    public static List<Path> segments(Storage storage, Path partitionDir) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path p : storage.list(partitionDir)) {
            if (p.getFileName().toString().endsWith(".log")) {
                out.add(p);
            }
        }
        out.sort(null);
        return out;
    }
}
