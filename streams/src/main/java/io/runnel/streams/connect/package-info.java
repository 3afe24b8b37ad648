/**
 * The connector SPI: {@link io.runnel.streams.connect.Source} and {@link io.runnel.streams.connect.Sink},
 * implemented by the log topic connectors and by everything in {@code runnel-connectors}.
 */
package io.runnel.streams.connect;
