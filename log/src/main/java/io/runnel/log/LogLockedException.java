package io.runnel.log;

/** Another process (or another open {@link Log} in this process) owns the log directory for writing. Close it, or use {@link Log#openReadOnly}. */
public class LogLockedException extends RunnelLogException {
    private static final long serialVersionUID = 1L;

    public LogLockedException(String message) {
        super(message);
    }

    public LogLockedException(String message, Throwable cause) {
        super(message, cause);
    }
}
