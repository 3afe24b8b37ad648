package io.runnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code runnel bench} runs the benchmarks jar of the Runnel home as a child JVM. */
class BenchCommandTest {
    /** Stands in for benchmarks.jar: prints its arguments, progress on stderr, exits with the count of args. */
    private static final String ECHO_BENCH = """
            package jobs;
            public final class EchoBench {
                public static void main(String[] args) {
                    System.err.println("progress: starting " + args[0]);
                    System.out.println("RESULT args=" + String.join(" ", args));
                    System.exit(args.length);
                }
            }
            """;

    @TempDir
    Path home;

    private CliRunner.Result bench(Path home, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "bench";
        System.arraycopy(args, 0, all, 1, args.length);
        return CliRunner.run(new ByteArrayInputStream(new byte[0]), Map.of(), home, all);
    }

    @Test
    void shouldRunTheBenchmarksJarPassingEverythingAfterTheScenario() throws Exception {
        Path target = Files.createDirectories(home.resolve("benchmarks/target"));
        Path built = JobJars.build(home.resolve("build"), "echo", "EchoBench", ECHO_BENCH, "jobs.EchoBench");
        Files.move(built, target.resolve("benchmarks.jar"));
        CliRunner.Result r = bench(home, "log-append", "--quick", "--only", "runnel");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
        assertThat(r.out()).isEqualTo("RESULT args=log-append --quick --only runnel\n");
        assertThat(r.err()).contains("progress: starting log-append");
    }

    @Test
    void shouldSayHowToBuildTheBenchmarksWhenTheJarIsMissing() {
        CliRunner.Result r = bench(home, "log-append");
        assertThat(r.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(r.err()).contains("the benchmarks are not built", home.resolve(BenchCommand.JAR).toString(),
                "mvn -B package -DskipTests");
        CliRunner.Result noHome = bench(null, "log-append");
        assertThat(noHome.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(noHome.err()).contains("run through bin/runnel");
        CliRunner.Result noScenario = bench(home);
        assertThat(noScenario.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(noScenario.err()).contains("<scenario>");
    }
}
