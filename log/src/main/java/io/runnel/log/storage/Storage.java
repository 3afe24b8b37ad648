package io.runnel.log.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Every file operation of the log goes through this interface, so tests can replace the disk
 * with one that drops unforced writes, tears them, reorders them or fails (see the test-jar's
 * {@code FaultInjectingStorage}). Implementations are thread-safe.
 *
 * <p>The durability model is POSIX's: data written to a file survives a power cut only after
 * {@link StorageFile#force()}; a created, renamed or deleted directory entry only after
 * {@link #forceDirectory(Path)} of its parent.
 */
public interface Storage {

    /** Opens an existing file for positional reads. */
    StorageFile openRead(Path file) throws IOException;

    /** Opens a file for reads and positional writes, creating it (empty) if absent. */
    StorageFile openWrite(Path file) throws IOException;

    /** Atomically renames {@code from} to {@code to}, replacing {@code to} if it exists. */
    void rename(Path from, Path to) throws IOException;

    /** Deletes a file or an empty directory if it exists. */
    void delete(Path path) throws IOException;

    /** The entries of directory {@code dir} (full paths), in no particular order; empty if it does not exist. */
    List<Path> list(Path dir) throws IOException;

    /** Creates {@code dir} and missing parents. */
    void createDirectories(Path dir) throws IOException;

    /** Makes the directory entries of {@code dir} (creates, renames, deletes) durable. */
    void forceDirectory(Path dir) throws IOException;

    boolean exists(Path path);

    boolean isDirectory(Path path);

    /** Size of {@code file} in bytes. */
    long size(Path file) throws IOException;

    /**
     * Takes an exclusive, process-level lock on {@code lockFile} (creating it), or returns null if
     * another holder has it. The operating system releases the lock when the process dies.
     */
    Closeable tryLock(Path lockFile) throws IOException;
}
