/**
 * Runnel's connectors: sources and sinks that implement the SPI in {@code io.runnel.streams.connect}.
 * One package per store ({@code file}, {@code jdbc}, {@code http}, {@code generator}, {@code console},
 * {@code log}); this package holds what they share (configuration errors, the injectable time source).
 * See {@code docs/CONNECTORS.md} for each connector's configuration, guarantees and failure behaviour.
 */
package io.runnel.connectors;
