package io.runnel.examples.common;

/**
 * A command line the example cannot run with: an unknown flag, a missing or bad value. The message
 * names the flag and the fix; the example prints it and exits with {@link ExitCodes#USAGE}.
 */
public final class UsageException extends RuntimeException {

    public UsageException(String message) {
        super(message);
    }

    public UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
