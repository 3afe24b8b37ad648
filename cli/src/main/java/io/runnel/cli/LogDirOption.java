package io.runnel.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --log-dir}, shared by every command that opens a log. */
final class LogDirOption {
    /** Environment variable giving the log directory when {@code --log-dir} is absent. */
    static final String ENV = "RUNNEL_LOG_DIR";
    /** The directory used when neither is given, relative to the working directory. */
    static final String DEFAULT = "runnel-log";

    @Option(names = "--log-dir", paramLabel = "<dir>",
            description = "Log directory (default: the " + ENV + " environment variable, else " + DEFAULT
                    + " in the working directory).")
    Path dir;

    /** The directory to use, absolute. */
    Path resolve(Terminal terminal) {
        if (dir != null) {
            return dir.toAbsolutePath().normalize();
        }
        String env = terminal.env().get(ENV);
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath().normalize();
        }
        return Path.of(DEFAULT).toAbsolutePath().normalize();
    }
}
