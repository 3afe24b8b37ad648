package io.runnel.log.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * An open file with positional reads and writes. Thread-safe for concurrent positional reads and
 * one writer.
 */
public interface StorageFile extends Closeable {

    /**
     * Reads into {@code dst} from {@code position} until {@code dst} is full or the end of the
     * file; returns the number of bytes read (0 at the end of the file).
     */
    int read(ByteBuffer dst, long position) throws IOException;

    /** Writes all remaining bytes of {@code src} at {@code position}. */
    void write(ByteBuffer src, long position) throws IOException;

    /** Forces written data (and the file's size) to the disk. */
    void force() throws IOException;

    /** Cuts the file to {@code size} bytes. */
    void truncate(long size) throws IOException;

    /** Current size in bytes. */
    long size() throws IOException;
}
