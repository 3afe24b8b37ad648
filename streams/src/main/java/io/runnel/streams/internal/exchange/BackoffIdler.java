package io.runnel.streams.internal.exchange;

import java.util.concurrent.locks.LockSupport;

/**
 * What a task thread does when it found no work: spin briefly, then yield, then park for growing
 * periods up to 1 ms (so an idle job costs little CPU on a shared 2-core machine while a busy one
 * never parks). One per thread.
 */
public final class BackoffIdler {

    private static final int SPINS = 50;
    private static final int YIELDS = 20;
    private static final long MIN_PARK_NS = 20_000;
    private static final long MAX_PARK_NS = 1_000_000;

    private int count;
    private long parkNs = MIN_PARK_NS;

    public void idle() {
        if (count < SPINS) {
            count++;
            Thread.onSpinWait();
        } else if (count < SPINS + YIELDS) {
            count++;
            Thread.yield();
        } else {
            LockSupport.parkNanos(parkNs);
            parkNs = Math.min(MAX_PARK_NS, parkNs * 2);
        }
    }

    public void reset() {
        count = 0;
        parkNs = MIN_PARK_NS;
    }
}
