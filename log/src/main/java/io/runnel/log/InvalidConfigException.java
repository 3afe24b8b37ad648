package io.runnel.log;

/** A configuration value is out of range; the message names the setting and its legal range. */
public class InvalidConfigException extends RunnelLogException {
    private static final long serialVersionUID = 1L;

    public InvalidConfigException(String message) {
        super(message);
    }

    public InvalidConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
