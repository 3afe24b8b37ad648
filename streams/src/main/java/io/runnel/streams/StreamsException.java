package io.runnel.streams;

/** Base of the exceptions the streams module throws for a job that cannot be built, run or restored. */
public class StreamsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StreamsException(String message) {
        super(message);
    }

    public StreamsException(String message, Throwable cause) {
        super(message, cause);
    }
}
