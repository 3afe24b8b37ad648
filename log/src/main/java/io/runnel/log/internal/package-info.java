/**
 * Implementation of the log: journal (Disruptor append path), partitions, segments, indexes,
 * recovery, consumers, groups, cleaner. Not an API: it changes without notice. The only entry
 * point others use is {@code DiskLog.open}, through {@link io.runnel.log.Log#open}.
 */
package io.runnel.log.internal;
