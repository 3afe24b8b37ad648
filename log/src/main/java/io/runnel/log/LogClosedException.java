package io.runnel.log;

/** The log, producer or consumer was used after {@code close()}. */
public class LogClosedException extends RunnelLogException {
    private static final long serialVersionUID = 1L;

    public LogClosedException(String message) {
        super(message);
    }

    public LogClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
