package io.runnel.cli;

/** The exit codes of {@code bin/runnel}, as docs/CLI.md lists them. */
public final class ExitCode {
    private ExitCode() {
    }

    /** The command did what was asked. */
    public static final int OK = 0;
    /** It failed: unknown topic, locked log, records not acknowledged, I/O error, ... (message on stderr). */
    public static final int FAILURE = 1;
    /** The command line is wrong: unknown command or flag, bad value, conflicting options. Nothing was done. */
    public static final int USAGE = 2;
    /** {@code dump} found damage in the files it read. */
    public static final int DAMAGE = 3;
}
