package io.runnel.cli;

/**
 * A command failed in a way the user can act on: the message (what happened and the fix) is
 * printed on stderr without a stack trace and the process exits with {@link #exitCode()}.
 */
final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    /** A {@link ExitCode#FAILURE}. */
    static CliException failure(String message) {
        return new CliException(ExitCode.FAILURE, message);
    }

    int exitCode() {
        return exitCode;
    }
}
