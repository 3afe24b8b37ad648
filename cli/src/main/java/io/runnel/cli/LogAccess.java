package io.runnel.cli;

import io.runnel.log.Log;
import io.runnel.log.LogLockedException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How commands open a log directory. One process writes a log at a time (an OS lock); others may
 * read it through a read-only open that follows the owner's appends.
 *
 * <ul>
 *   <li>Commands that only read (topic list/describe, group list/describe, consume without a
 *       group) read through a read-only open, so they never keep a producer or job from starting
 *       (and work on a directory they may not write). To say on stderr when another process owns
 *       the log, they ask {@link Log#isOwned}: a shared OS lock taken and released at once, a
 *       window of microseconds, not a whole open.</li>
 *   <li>Commands that write (topic create/delete, produce, group reset, consume with a group)
 *       open it for writing and fail with the fix if another process owns it.</li>
 * </ul>
 */
final class LogAccess {
    private LogAccess() {
    }

    /** Opens {@code dir} read-only, noting on stderr when another process owns it. */
    static Log openForReading(Path dir, Terminal terminal) {
        requireLogDirectory(dir);
        if (isOwned(dir)) {
            terminal.err().println("note: " + dir + " is owned by another process: reading it read-only (records"
                    + " that process appends show up as they are written)");
        }
        return Log.openReadOnly(dir);
    }

    /**
     * Opens {@code dir} for writing.
     *
     * @param action what needs to write, for the message ("produce", "group reset")
     * @param create whether a missing directory is created (only {@code topic create})
     * @param fix    what to do when another process owns the log
     */
    static Log openForWriting(Path dir, String action, boolean create, String fix) {
        if (!create) {
            requireLogDirectory(dir);
        }
        try {
            return Log.open(dir);
        } catch (LogLockedException e) {
            throw CliException.failure(action + " needs to write to the log in " + dir + ", but another process"
                    + " owns it (a running job or runnel command): " + fix);
        }
    }

    /** The usual fix when a write finds the log owned by another process. */
    static final String STOP_OWNER = "stop that process first, or do this through it";

    /**
     * Whether another process (or another open Log in this JVM) owns the log ({@link Log#isOwned});
     * a directory whose lock cannot be tested counts as not owned: the read goes ahead without the
     * note.
     */
    static boolean isOwned(Path dir) {
        try {
            return Log.isOwned(dir);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static void requireLogDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw CliException.failure("no log directory at " + dir + ": pass --log-dir <dir> or set "
                    + LogDirOption.ENV + " (create a log with 'runnel topic create')");
        }
    }
}
