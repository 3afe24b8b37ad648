package io.runnel.log;

/** The append ring stayed full for longer than {@link LogConfig#backpressureTimeout()}; the record was not appended. Slow down, or raise the timeout or {@link LogConfig#ringBufferSize()}. */
public class BackpressureTimeoutException extends RunnelLogException {
    private static final long serialVersionUID = 1L;

    public BackpressureTimeoutException(String message) {
        super(message);
    }

    public BackpressureTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
