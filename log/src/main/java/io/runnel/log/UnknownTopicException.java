package io.runnel.log;

/** The topic does not exist: create it with {@link Log#createTopic} first. */
public class UnknownTopicException extends RunnelLogException {
    private static final long serialVersionUID = 1L;

    public UnknownTopicException(String message) {
        super(message);
    }

    public UnknownTopicException(String message, Throwable cause) {
        super(message, cause);
    }
}
