package io.runnel.examples.common;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The options every example takes, checked.
 *
 * @param input           the events file ({@code --input}), or {@code null}
 * @param httpPort        the ingest endpoint's port ({@code --http}), or {@code null}
 * @param jdbcUrl         where the result tables go ({@code --jdbc})
 * @param outOfOrderness  how far out of order events may come ({@code --out-of-orderness})
 * @param stateDir        the log, the input's identity, checkpoints and dead letters ({@code --state-dir}), absolute
 * @param flags           every flag as given, for the example's own ones
 */
public record ExampleOptions(Path input, Integer httpPort, String jdbcUrl, Duration outOfOrderness, Path stateDir,
                             Flags.Parsed flags) {

    /** Whether this run reads a bounded input (a file or the demo), as opposed to serving HTTP until stopped. */
    public boolean bounded() {
        return httpPort == null;
    }
}
