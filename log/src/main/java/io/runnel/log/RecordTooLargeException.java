package io.runnel.log;

/** A record or batch exceeds {@link LogConfig#maxRecordBytes()}; nothing was written for it. */
public class RecordTooLargeException extends RunnelLogException {
    private static final long serialVersionUID = 1L;

    public RecordTooLargeException(String message) {
        super(message);
    }

    public RecordTooLargeException(String message, Throwable cause) {
        super(message, cause);
    }
}
