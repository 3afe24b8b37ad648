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

    /** The exit codes as {@code --help} states them, after the example's description. */
    public static final String HELP = """
            Exit codes: 0 done, 1 failed, 2 wrong command line, 3 state dir of another input.
            With --http it runs until stopped: SIGTERM (or Ctrl-C) takes a final checkpoint, prints
            the summary and exits with 143 (130 for Ctrl-C), as a JVM stopped by that signal does;
            run it again with the same arguments to resume.""";

    private ExitCodes() {
    }
}
