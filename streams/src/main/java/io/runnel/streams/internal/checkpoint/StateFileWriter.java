package io.runnel.streams.internal.checkpoint;

import io.runnel.streams.StreamsException;
import io.runnel.streams.internal.checkpoint.CheckpointManifest.StateRef;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Appends state blobs of one task for one checkpoint to one file (created lazily, so a task without
 * changed state writes no file); {@link #close()} forces it. Layout: an 8-byte header (magic
 * "RNST", version 1) then the blobs back to back; the manifest holds each blob's offset, length and
 * CRC32C. One thread.
 */
public final class StateFileWriter implements AutoCloseable {

    private final Path path;
    private final long checkpointId;
    private final CheckpointStorage.StepHook hook;
    private FileChannel channel;
    private long position;
    private long bytesWritten;

    StateFileWriter(Path path, long checkpointId, CheckpointStorage.StepHook hook) {
        this.path = path;
        this.checkpointId = checkpointId;
        this.hook = hook;
    }

    public StateRef append(byte[] blob) {
        try {
            if (channel == null) {
                channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING);
                ByteBuffer header = ByteBuffer.allocate(8).putInt(CheckpointStorage.STATE_MAGIC).putInt(1).flip();
                writeFully(header);
            }
            long offset = position;
            writeFully(ByteBuffer.wrap(blob));
            CRC32C crc = new CRC32C();
            crc.update(blob);
            bytesWritten += blob.length;
            return new StateRef(path.getFileName().toString(), offset, blob.length, (int) crc.getValue());
        } catch (IOException e) {
            throw new StreamsException("cannot write state file " + path + ": " + e, e);
        }
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            position += channel.write(b, position);
        }
    }

    /** Bytes of state written (0 if nothing changed). */
    public long bytesWritten() {
        return bytesWritten;
    }

    /** Forces the file (once; later calls do nothing). */
    @Override
    public void close() {
        if (channel == null) {
            return;
        }
        FileChannel toClose = channel;
        channel = null;
        try (FileChannel ch = toClose) {
            hook.at(CheckpointStorage.Step.STATE_FILE_WRITTEN, checkpointId);
            ch.force(true);
            hook.at(CheckpointStorage.Step.STATE_FILE_FORCED, checkpointId);
        } catch (IOException e) {
            throw new StreamsException("cannot force state file " + path + ": " + e, e);
        }
    }
}
