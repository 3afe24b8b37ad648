package io.runnel.streams.internal.exchange;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.RingBuffer;

/**
 * The channels of one exchange edge: a single-producer Disruptor ring from every sending task to
 * every receiving task ({@code parallelism^2} rings), so each receiver can align checkpoint barriers
 * per channel by simply not polling a channel whose barrier arrived. A ring's capacity is the
 * backpressure: a sender waits for a free slot.
 */
public final class Exchange {

    private final int parallelism;
    private final RingBuffer<ExchangeSlot>[][] rings;
    private final EventPoller<ExchangeSlot>[][] pollers;
    private final boolean keyed;

    @SuppressWarnings({"unchecked", "rawtypes"}) // Java cannot create generic arrays: raw arrays of the one ring type
    public Exchange(int parallelism, int capacity, int batch, boolean keyed) {
        this.parallelism = parallelism;
        this.keyed = keyed;
        rings = new RingBuffer[parallelism][parallelism];
        pollers = new EventPoller[parallelism][parallelism];
        for (int s = 0; s < parallelism; s++) {
            for (int r = 0; r < parallelism; r++) {
                // the wait strategy is unused: receivers poll, senders check capacity themselves
                RingBuffer<ExchangeSlot> ring = RingBuffer.createSingleProducer(() -> new ExchangeSlot(batch), capacity,
                        new BlockingWaitStrategy());
                EventPoller<ExchangeSlot> poller = ring.newPoller();
                ring.addGatingSequences(poller.getSequence());
                rings[s][r] = ring;
                pollers[s][r] = poller;
            }
        }
    }

    public int parallelism() {
        return parallelism;
    }

    public boolean keyed() {
        return keyed;
    }

    /** The rings task {@code sender} writes to, indexed by receiving task. */
    public RingBuffer<ExchangeSlot>[] ringsFrom(int sender) {
        return rings[sender];
    }

    /** The poller of the channel from {@code sender} to {@code receiver}. */
    public EventPoller<ExchangeSlot> poller(int sender, int receiver) {
        return pollers[sender][receiver];
    }
}
