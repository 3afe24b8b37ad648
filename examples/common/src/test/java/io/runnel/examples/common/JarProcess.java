package io.runnel.examples.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An example jar run as a real {@code java -jar} process, for the end-to-end tests. Output goes to
 * files (no pipe can fill up and block the child).
 */
public final class JarProcess {

    private final Path jar;
    private final Path workDir;
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private JarProcess(Path jar, Path workDir, Process process, Path stdout, Path stderr) {
        this.jar = jar;
        this.workDir = workDir;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** The jar the build made, from the system property failsafe sets (e.g. {@code webActivity.jar}). */
    public static Path jar(String property) {
        String path = System.getProperty(property);
        assertThat(path).as("system property " + property + " (set by failsafe in the module's pom: run with mvn verify)").isNotNull();
        Path jar = Path.of(path);
        assertThat(jar).as("the fat jar (mvn package builds it)").isRegularFile();
        return jar;
    }

    /** Starts {@code java -jar <jar> args...} in {@code workDir}. */
    public static JarProcess start(Path jar, Path workDir, String... args) throws IOException {
        return start(List.of(), jar, workDir, args);
    }

    /** Starts {@code java <javaOptions> -jar <jar> args...} in {@code workDir}. */
    public static JarProcess start(List<String> javaOptions, Path jar, Path workDir, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.addAll(javaOptions);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(List.of(args));
        Path stdout = Files.createTempFile(workDir, "stdout-", ".txt");
        Path stderr = Files.createTempFile(workDir, "stderr-", ".txt");
        Process p = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        return new JarProcess(jar, workDir, p, stdout, stderr);
    }

    /** Runs it to the end (at most {@code timeout}) and returns the exit code and output. */
    public static Result run(Path jar, Path workDir, Duration timeout, String... args) throws IOException, InterruptedException {
        return run(List.of(), jar, workDir, timeout, args);
    }

    /** As {@link #run(Path, Path, Duration, String...)} with JVM options. */
    public static Result run(List<String> javaOptions, Path jar, Path workDir, Duration timeout, String... args)
            throws IOException, InterruptedException {
        JarProcess p = start(javaOptions, jar, workDir, args);
        if (!p.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.process.destroyForcibly().waitFor();
            throw new AssertionError("java -jar " + jar.getFileName() + " " + String.join(" ", args) + " did not finish within "
                    + timeout + "; output so far:\n" + p.result().output());
        }
        return p.result();
    }

    /** Whether the process still runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits up to {@code timeout} for it to end; returns whether it did. */
    public boolean waitFor(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** SIGTERM, as {@code kill} or a service manager sends it: the process may stop gracefully. */
    public void terminate() {
        process.destroy();
    }

    /** SIGKILL, like a crash or a power cut of the process (not of the machine): no shutdown hook runs. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** The exit code and output of the ended process. */
    public Result result() throws IOException {
        return new Result(process.isAlive() ? -1 : process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8));
    }

    /** What a run ended with. */
    public record Result(int exitCode, String stdout, String stderr) {
        /** Both streams, for failure messages. */
        public String output() {
            return "--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    @Override
    public String toString() {
        return "java -jar " + jar + " in " + workDir;
    }
}
