/**
 * The record batch format: {@link io.runnel.log.format.BatchDescriptor} and
 * {@link io.runnel.log.format.RecordDescriptor} describe every byte; {@code BatchBuilder} encodes,
 * {@code RecordBatch} and {@code RecordCursor} validate and decode (throwing only
 * {@link io.runnel.log.CorruptRecordException} on bad input). Used by the log and by tools that
 * read segment files; see also {@code docs/FORMAT.md}.
 */
package io.runnel.log.format;
