package io.runnel.benchmarks;

/** A system's output did not match the independent computation: its figures are not reported. */
public final class CheckFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CheckFailedException(String message) {
        super(message);
    }
}
