package io.runnel.log;

/** A partition number outside {@code [0, partitionCount)} of its topic. */
public class InvalidPartitionException extends RunnelLogException {
    private static final long serialVersionUID = 1L;

    public InvalidPartitionException(String message) {
        super(message);
    }

    public InvalidPartitionException(String message, Throwable cause) {
        super(message, cause);
    }
}
