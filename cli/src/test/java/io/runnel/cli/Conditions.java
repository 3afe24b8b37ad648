package io.runnel.cli;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits on conditions with a timeout (never a fixed sleep). */
final class Conditions {
    private Conditions() {
    }

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    static void await(String what, BooleanSupplier condition) {
        await(what, DEFAULT_TIMEOUT, condition);
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(5); // polling period of the condition, not a wait for an outcome
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what, e);
            }
        }
    }
}
