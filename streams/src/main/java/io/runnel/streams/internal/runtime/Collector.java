package io.runnel.streams.internal.runtime;

/**
 * An operator input: records with their event time, watermarks and idleness from one upstream
 * edge. Called by one task thread only. The hot path: implementations avoid allocation per record.
 */
public interface Collector {

    void record(Object value, long timestampMs);

    /** The upstream watermark rose to {@code watermarkMs} ({@link Long#MAX_VALUE}: the input ended). */
    void watermark(long watermarkMs);

    /** The upstream became idle (it holds no watermark back) or active again. */
    void idle(boolean idle);

    /** Drops everything (an output nobody consumes). */
    Collector NONE = new Collector() {
        @Override public void record(Object value, long timestampMs) { }
        @Override public void watermark(long watermarkMs) { }
        @Override public void idle(boolean idle) { }
    };
}
