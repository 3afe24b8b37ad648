package io.runnel.examples.common;

/**
 * An input line that is not a valid event; its message says why, for the dead-letter file
 * ({@link #toString()} is the bare message, since the job records a bad record's reason as the
 * exception's string).
 */
public final class MalformedLineException extends Exception {

    public MalformedLineException(String message) {
        super(message);
    }

    @Override
    public String toString() {
        return getMessage();
    }
}
