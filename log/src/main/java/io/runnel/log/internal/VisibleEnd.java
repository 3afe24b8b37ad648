package io.runnel.log.internal;

import io.runnel.log.format.LogFiles;
import io.runnel.log.storage.Storage;
import io.runnel.log.storage.StorageFile;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A partition's {@code visible-end} file: the end offset its owner has acknowledged and made
 * visible to its own consumers, shared with read-only views in other processes so they never read
 * past it. Under {@code FSYNC} a batch the owner has written but not yet forced and acknowledged
 * stays invisible to them too, so a power cut cannot take back what they read.
 *
 * <p>16 bytes: the offset and its bitwise complement, so a torn or zeroed file is recognized.
 * The owner rewrites it with one positional write per publish (no force: it is rewritten after
 * recovery at every writer open). A reader that finds no valid value has no bound (the log was
 * last written by a version without the file). Writer: the thread that publishes (the journal,
 * or under FSYNC the {@link Forcer}; one of them per log); reader: the tail thread. Not
 * thread-safe.
 */
final class VisibleEnd implements Closeable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(VisibleEnd.class);
    static final int LENGTH = 16;

    private final Storage storage;
    private final Path path;
    private final ByteBuffer buf = ByteBuffer.allocate(LENGTH);
    private StorageFile file;
    private long last = Long.MAX_VALUE;
    private boolean warned;

    private VisibleEnd(Storage storage, Path path, StorageFile file) {
        this.storage = storage;
        this.path = path;
        this.file = file;
    }

    /** The owner's side: creates or opens the file and shares {@code end} (writer open, after recovery). */
    static VisibleEnd forWriter(Storage storage, Path partitionDir, long end) throws IOException {
        Path path = partitionDir.resolve(LogFiles.VISIBLE_END_FILE);
        VisibleEnd v = new VisibleEnd(storage, path, storage.openWrite(path));
        v.file.truncate(LENGTH);
        v.publish(end);
        return v;
    }

    /** A read-only view's side; the file is opened when it first exists. */
    static VisibleEnd forReader(Storage storage, Path partitionDir) {
        return new VisibleEnd(storage, partitionDir.resolve(LogFiles.VISIBLE_END_FILE), null);
    }

    /** Shares {@code end} (after publishing). A failure is logged once; readers keep the last value. */
    void publish(long end) {
        buf.clear();
        buf.putLong(0, end).putLong(8, ~end);
        try {
            file.write(buf, 0);
        } catch (IOException e) {
            if (!warned) {
                warned = true;
                LOG.warn("{}: sharing the visible end with read-only views failed ({}); they stay behind until it"
                        + " works again", path, e.toString());
            }
        }
    }

    /**
     * Offsets below this may be shown by a read-only view: the owner's last shared end, or
     * {@link Long#MAX_VALUE} if none was ever found valid. A torn read keeps the previous value.
     */
    long bound() {
        try {
            if (file == null) {
                if (!storage.exists(path)) {
                    return last;
                }
                file = storage.openRead(path);
            }
            for (int attempt = 0; attempt < 3; attempt++) { // a read torn by a concurrent write: read again
                buf.clear();
                if (file.read(buf, 0) == LENGTH) {
                    long end = buf.getLong(0);
                    if (end >= 0 && end == ~buf.getLong(8)) {
                        last = end;
                        break;
                    }
                }
            }
        } catch (NoSuchFileException e) {
            // deleted with its topic: keep the last value
        } catch (IOException e) {
            LOG.debug("{}: reading the visible end: {}", path, e.toString());
        }
        return last;
    }

    @Override
    public void close() {
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                LOG.debug("closing {}: {}", path, e.toString());
            }
            file = null;
        }
    }
}
