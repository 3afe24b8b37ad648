package io.runnel.streams.internal.exchange;

/**
 * One ring slot of an exchange channel: a batch of records (values, keys, key groups and times in
 * parallel arrays, preallocated and swapped with the sender's buffers, so steady state allocates
 * nothing), or a watermark, an idleness change or a checkpoint barrier.
 */
public final class ExchangeSlot {

    public static final int RECORDS = 0;
    public static final int WATERMARK = 1;
    public static final int IDLE = 2;
    public static final int ACTIVE = 3;
    public static final int BARRIER = 4;

    public int kind;
    public int size;
    public Object[] values;
    public Object[] keys;
    public int[] groups;
    public long[] times;
    /** The watermark, or the checkpoint id of a barrier. */
    public long value;
    /** On a barrier: the job stops after this checkpoint. */
    public boolean stop;

    ExchangeSlot(int batch) {
        values = new Object[batch];
        keys = new Object[batch];
        groups = new int[batch];
        times = new long[batch];
    }
}
