/**
 * Runnel's durable partitioned log: the public API. Open a {@link io.runnel.log.Log}, create
 * topics, append with a {@link io.runnel.log.Producer}, read with a {@link io.runnel.log.Consumer}.
 * Everything under {@code io.runnel.log.internal} is implementation: do not use it.
 */
package io.runnel.log;
