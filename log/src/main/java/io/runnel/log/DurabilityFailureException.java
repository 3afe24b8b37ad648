package io.runnel.log;

/** Forcing data to disk failed. The kernel may have dropped the unforced pages (see PostgreSQL's "fsyncgate"), so the log stops acknowledging: this request and every later one fail with this exception until the log is closed and reopened, which recovers from the last durable state. */
public class DurabilityFailureException extends RunnelLogException {
    private static final long serialVersionUID = 1L;

    public DurabilityFailureException(String message) {
        super(message);
    }

    public DurabilityFailureException(String message, Throwable cause) {
        super(message, cause);
    }
}
