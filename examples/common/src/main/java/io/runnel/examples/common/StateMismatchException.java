package io.runnel.examples.common;

/**
 * The state directory holds a run over other input than this command line names; resuming it would
 * mix the two. The message names both and the fix; the example exits with {@link ExitCodes#STATE_MISMATCH}.
 */
public final class StateMismatchException extends RuntimeException {

    public StateMismatchException(String message) {
        super(message);
    }
}
