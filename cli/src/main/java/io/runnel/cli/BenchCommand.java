package io.runnel.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code runnel bench <scenario> [args]}: runs {@code java -jar benchmarks/target/benchmarks.jar
 * <scenario> [args]} of the Runnel home, streaming its output and returning its exit code.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Run a benchmark scenario.",
                "Runs java -jar benchmarks/target/benchmarks.jar <scenario> [args]"
                + " (in the repository bin/runnel lives in), streaming its output (progress on stderr, RESULT"
                + " lines on stdout). Everything after the scenario goes to the benchmarks unchanged, e.g."
                + " runnel bench <scenario> --quick. The exit code is the benchmark's."})
final class BenchCommand implements Callable<Integer> {
    static final String JAR = "benchmarks/target/benchmarks.jar";

    private final Terminal terminal;

    @Parameters(index = "0", paramLabel = "<scenario>", description = "The scenario to run.")
    String scenario;

    @Parameters(index = "1..*", paramLabel = "<args>", description = "Arguments for the scenario.")
    List<String> args = new ArrayList<>();

    BenchCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws IOException {
        if (terminal.home() == null) {
            throw CliException.failure("cannot tell which Runnel repository to use: run through bin/runnel (it"
                    + " passes -D" + Terminal.HOME_PROPERTY + "=<repository>)");
        }
        Path jar = terminal.home().resolve(JAR);
        if (!Files.isRegularFile(jar)) {
            throw CliException.failure("the benchmarks are not built (no " + jar + "): run mvn -B package"
                    + " -DskipTests first (in " + terminal.home() + ")");
        }
        List<String> cmd = new ArrayList<>(List.of(ChildProcess.javaExecutable(), "-jar", jar.toString(), scenario));
        cmd.addAll(args);
        return ChildProcess.runToExit(cmd, terminal, Duration.ofSeconds(30));
    }
}
