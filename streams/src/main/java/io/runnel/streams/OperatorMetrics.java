package io.runnel.streams;

/**
 * One operator's counters, summed over its tasks, at the moment they were read.
 *
 * @param name             the operator's stable name
 * @param recordsIn        records that reached it
 * @param recordsOut       records it emitted
 * @param lateEvents       events it sent to its late-events output
 * @param deadLettered     records it sent to the dead-letter output (or that failed the job)
 * @param watermarkMs      its watermark (minimum over tasks), {@link Long#MIN_VALUE} before the first
 * @param watermarkLagMs   job clock minus watermark, 0 before the first watermark
 */
public record OperatorMetrics(String name, long recordsIn, long recordsOut, long lateEvents, long deadLettered,
                              long watermarkMs, long watermarkLagMs) {
}
