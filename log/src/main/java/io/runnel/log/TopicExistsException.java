package io.runnel.log;

/** {@link Log#createTopic} was called for a topic that already exists (use {@link Log#createTopicIfAbsent}). */
public class TopicExistsException extends RunnelLogException {
    private static final long serialVersionUID = 1L;

    public TopicExistsException(String message) {
        super(message);
    }

    public TopicExistsException(String message, Throwable cause) {
        super(message, cause);
    }
}
