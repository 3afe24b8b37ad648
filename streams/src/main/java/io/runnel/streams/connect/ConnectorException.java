package io.runnel.streams.connect;

/** A source or sink could not do its I/O; the message names the connector, the target and the fix. */
public class ConnectorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConnectorException(String message) {
        super(message);
    }

    public ConnectorException(String message, Throwable cause) {
        super(message, cause);
    }
}
