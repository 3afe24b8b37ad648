package io.runnel.log;

/** A consumer committed offsets for partitions it no longer owns after a group rebalance. */
public class RebalanceInProgressException extends RunnelLogException {
    private static final long serialVersionUID = 1L;

    public RebalanceInProgressException(String message) {
        super(message);
    }

    public RebalanceInProgressException(String message, Throwable cause) {
        super(message, cause);
    }
}
