package io.runnel.log;

/** An offset reset was asked for a consumer group that still has active members; close them first. */
public class GroupActiveException extends RunnelLogException {
    private static final long serialVersionUID = 1L;

    public GroupActiveException(String message) {
        super(message);
    }

    public GroupActiveException(String message, Throwable cause) {
        super(message, cause);
    }
}
