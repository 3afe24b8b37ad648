package io.runnel.log;

/**
 * Base of every exception the log throws. Each message names the offending value and the fix.
 * Subclasses tell the cases apart so callers can react (retry, dead-letter, stop).
 */
public class RunnelLogException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RunnelLogException(String message) {
        super(message);
    }

    public RunnelLogException(String message, Throwable cause) {
        super(message, cause);
    }
}
