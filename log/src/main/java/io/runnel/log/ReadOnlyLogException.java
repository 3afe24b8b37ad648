package io.runnel.log;

/** A write (append, create or delete a topic, commit an offset) on a log opened with {@link Log#openReadOnly}. */
public class ReadOnlyLogException extends RunnelLogException {
    private static final long serialVersionUID = 1L;

    public ReadOnlyLogException(String message) {
        super(message);
    }

    public ReadOnlyLogException(String message, Throwable cause) {
        super(message, cause);
    }
}
