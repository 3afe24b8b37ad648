package io.runnel.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runnel run <job.jar>}: runs any job jar in a child JVM with the standard flags passed as
 * system properties (the contract in docs/CLI.md), forwards SIGTERM/Ctrl-C and returns the
 * job's exit code. It needs nothing of the job's code: the main class comes from {@code --class}
 * or the jar's manifest.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a job jar with the standard flags.",
                "Starts a child JVM: java -cp <job.jar> <main class> [job args], with the standard flags passed"
                        + " as system properties the job's StreamJob reads:",
                "  --state-dir -> -D" + RunCommand.STATE_DIR_PROPERTY + "=<absolute dir>",
                "  --checkpoint-interval -> -D" + RunCommand.CHECKPOINT_INTERVAL_PROPERTY + "=<ISO-8601, e.g. PT10S>",
                "  --parallelism -> -D" + RunCommand.PARALLELISM_PROPERTY + "=<n>",
                "Arguments for the job's main go after --. SIGTERM or Ctrl-C is passed on to the job as SIGTERM"
                        + " (it takes its final checkpoint and exits); the exit code is the job's."})
final class RunCommand implements Callable<Integer> {
    /** System property: the job's state directory (absolute path). */
    static final String STATE_DIR_PROPERTY = "runnel.job.stateDir";
    /** System property: the checkpoint interval, ISO-8601 ({@link Duration#toString()}, e.g. {@code PT10S}). */
    static final String CHECKPOINT_INTERVAL_PROPERTY = "runnel.job.checkpointInterval";
    /** System property: the job's parallelism, an integer. */
    static final String PARALLELISM_PROPERTY = "runnel.job.parallelism";

    private final Terminal terminal;

    @Parameters(index = "0", paramLabel = "<job.jar>", description = "The job jar (a fat jar with its dependencies).")
    Path jar;

    @Parameters(index = "1..*", paramLabel = "<job args>", description = "Arguments for the job's main (after --).")
    List<String> jobArgs = new ArrayList<>();

    @Option(names = "--class", paramLabel = "<main class>",
            description = "The main class (default: Main-Class of the jar's manifest).")
    String mainClass;

    @Option(names = "--state-dir", paramLabel = "<dir>",
            description = "Where the job keeps checkpoints and restores from (default: the job's own choice).")
    Path stateDir;

    @Option(names = "--checkpoint-interval", paramLabel = "<duration>",
            converter = OptionConverters.PositiveDuration.class,
            description = "How often the job checkpoints, like 10s or 1m (default: the job's own choice).")
    Duration checkpointInterval;

    @Option(names = "--parallelism", paramLabel = "<n>", converter = OptionConverters.Parallelism.class,
            description = "Tasks per stage, 1 to 128 (default: the job's own choice).")
    Integer parallelism;

    @Option(names = "--java-opt", paramLabel = "<jvm option>",
            description = "An option for the job's JVM, like --java-opt=-Xmx2g; repeatable.")
    List<String> javaOptions = new ArrayList<>();

    @Option(names = "--stop-timeout", paramLabel = "<duration>", defaultValue = "60s",
            converter = OptionConverters.PositiveDuration.class,
            description = "After passing on SIGTERM, how long the job may take to stop before it is killed"
                    + " (default: ${DEFAULT-VALUE}).")
    Duration stopTimeout;

    RunCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws IOException {
        Path job = jar.toAbsolutePath().normalize();
        if (!Files.isRegularFile(job)) {
            throw CliException.failure("no job jar at " + job + " (build it with mvn package; see docs/JOBS.md)");
        }
        String main = mainClass != null ? mainClass : manifestMainClass(job);
        return ChildProcess.runToExit(command(job, main), terminal, stopTimeout);
    }

    /** The child's command line. */
    List<String> command(Path job, String main) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ChildProcess.javaExecutable());
        cmd.addAll(javaOptions);
        if (stateDir != null) {
            cmd.add("-D" + STATE_DIR_PROPERTY + "=" + stateDir.toAbsolutePath().normalize());
        }
        if (checkpointInterval != null) {
            cmd.add("-D" + CHECKPOINT_INTERVAL_PROPERTY + "=" + checkpointInterval);
        }
        if (parallelism != null) {
            cmd.add("-D" + PARALLELISM_PROPERTY + "=" + parallelism);
        }
        cmd.add("-cp");
        cmd.add(job.toString());
        cmd.add(main);
        cmd.addAll(jobArgs);
        return cmd;
    }

    private static String manifestMainClass(Path job) {
        Manifest manifest;
        try (JarFile jf = new JarFile(job.toFile())) {
            manifest = jf.getManifest();
        } catch (IOException e) {
            throw CliException.failure(job + " is not a readable jar: " + e.getMessage());
        }
        String main = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.MAIN_CLASS);
        if (main == null || main.isBlank()) {
            throw CliException.failure(job + " has no Main-Class in its manifest: pass --class <main class>");
        }
        return main.trim();
    }
}
