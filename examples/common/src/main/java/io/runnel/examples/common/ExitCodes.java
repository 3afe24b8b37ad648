package io.runnel.examples.common;

/** The exit codes of the example jars (also in examples/README.md). */
public final class ExitCodes {

    /** A bounded run completed (also a rerun that had nothing left to do), or {@code --help}. */
    public static final int OK = 0;
    /** A fatal error while running: the message says what failed (input unreadable, database down, job failed). */
    public static final int FAILED = 1;
    /** The command line is wrong: an unknown flag, a missing or bad value; nothing was started. */
    public static final int USAGE = 2;
    /**
     * The state directory belongs to a run over other input (another file, changed contents, another
     * demo): use another {@code --state-dir}, or delete it to start over.
     */
    public static final int STATE_MISMATCH = 3;

    private ExitCodes() {
    }
}
