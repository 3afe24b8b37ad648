package io.runnel.streams.connect;

import java.nio.file.Path;

/**
 * What the runtime tells a sink writer when it opens.
 *
 * @param jobName     the job's name
 * @param sinkName    the sink's {@link Sink#name()}
 * @param taskIndex   the index of the task that writes, 0-based and unique among all tasks of the job
 *                    (a sink after a keyBy runs in a later stage than one fed by a source, and the
 *                    dead-letter sink runs in every stage: each of its writers has its own index)
 * @param parallelism the number of tasks in the job (stages times the configured parallelism)
 * @param stateDir    a directory private to this sink and task inside the job's state directory,
 *                    for staged data that must survive a crash until committed
 */
public record SinkContext(String jobName, String sinkName, int taskIndex, int parallelism, Path stateDir) {
}
