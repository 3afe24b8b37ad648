package io.runnel.log;

import java.nio.file.Path;

/**
 * Damage inside data that was acknowledged as durable (below a partition's persisted recovery
 * point). Recovery never cuts such data silently; it stops and names the file and the position.
 * Restore the file from a copy, or move the damaged segment and everything after it away to
 * accept the loss explicitly.
 */
public class DamagedLogException extends RunnelLogException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;
    private final long position;
    private final long offset;

    public DamagedLogException(Path file, long position, long offset, String what) {
        super("damaged log: " + file + " at byte position " + position + " (expected offset " + offset + "): " + what
                + "; this data was acknowledged as durable, so recovery will not cut it. Restore the file from a copy,"
                + " or move this segment and the later ones out of the directory to accept the loss");
        this.file = file;
        this.position = position;
        this.offset = offset;
    }

    /** The damaged segment file. */
    public Path file() {
        return file;
    }

    /** Byte position of the first bad byte in {@link #file()}. */
    public long position() {
        return position;
    }

    /** The offset expected at {@link #position()}. */
    public long offset() {
        return offset;
    }
}
