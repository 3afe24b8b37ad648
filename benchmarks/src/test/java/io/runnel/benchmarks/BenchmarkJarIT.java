package io.runnel.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the built fat jar as a user would, with {@code --quick --only runnel} (Kafka and Flink never
 * run in {@code verify}), and checks the RESULT lines and the JMH entry point.
 */
class BenchmarkJarIT {

    private static final Path JAR = Path.of("target", "benchmarks.jar");
    private static final String RESULT = "RESULT name=%s system=runnel variant=\\S+( [a-z_]+=\\S+)* records=\\d+"
            + " seconds=\\d+\\.\\d{3} records_per_s=\\d+( [a-z0-9_]+=\\S+)*";

    @TempDir
    Path tmp;

    private record Run(int exitCode, List<String> stdout, String stderr) {}

    private Run run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g"));
        command.addAll(List.of(args));
        return start(new ProcessBuilder(command));
    }

    private Run start(ProcessBuilder builder) throws IOException, InterruptedException {
        Path out = tmp.resolve("stdout.txt");
        Path err = tmp.resolve("stderr.txt");
        Process p = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("benchmark did not finish within 5 minutes: " + Files.readString(err));
        }
        return new Run(p.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8), Files.readString(err));
    }

    private void assertRunnelResults(String scenario, int expectedLines, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("-jar", JAR.toString(), scenario, "--quick", "--only", "runnel",
                "--dir", tmp.toString(), "--report", tmp.resolve("report.html").toString()));
        command.addAll(List.of(args));
        Run run = run(command.toArray(String[]::new));

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).as("stdout holds only RESULT lines").hasSize(expectedLines)
                .allSatisfy(line -> assertThat(line).matches(String.format(RESULT, scenario)));
        assertThat(Files.readString(tmp.resolve("report.html"))).contains("<svg", scenario);
    }

    @Test
    void shouldPrintOneResultLinePerStreamVariant() throws Exception {
        // Parallelism 1 and 2, from memory and from a log topic.
        for (String scenario : List.of("streams-window", "streams-session")) {
            assertRunnelResults(scenario, 4);
            assertThat(Files.readString(tmp.resolve("results").resolve(scenario + ".txt")))
                    .contains("variant=memory-p1 parallelism=1 source=memory", "variant=log-p2 parallelism=2 source=log");
        }
    }

    @Test
    void shouldPrintOneResultLinePerAppendVariant() throws Exception {
        // 3 durability policies x 1 and 4 threads x send and sendAll.
        assertRunnelResults("log-append", 12);
        assertThat(Files.readString(tmp.resolve("results").resolve("log-append.txt")))
                .contains("durability=fsync threads=4 batch=100");
    }

    @Test
    void shouldPrintReadAndLatencyResults() throws Exception {
        // One and two consumers, through ConsumerRecords and through record views.
        assertRunnelResults("log-read", 4);
        assertThat(Files.readString(tmp.resolve("results").resolve("log-read.txt")))
                .contains("variant=consumer-1 consumers=1 api=poll records=50000 ",
                        "variant=consumer-2 consumers=2 api=poll records=50000 ",
                        "variant=consumer-1-view consumers=1 api=view records=50000 ",
                        "variant=consumer-2-view consumers=2 api=view records=50000 ");
        assertRunnelResults("log-latency", 3);
    }

    @Test
    void shouldPrintTheConnectorResults() throws Exception {
        // SQLite and PostgreSQL (started by the benchmark) x batch sizes 1, 100, 1000.
        assertRunnelResults("jdbc-sink", 6);
        assertThat(Files.readString(tmp.resolve("results").resolve("jdbc-sink.txt")))
                .contains("variant=sqlite-b1 database=sqlite batch=1 ", "variant=postgresql-b1000 database=postgresql batch=1000 ");
        // fsync and os durability, with request latency.
        assertRunnelResults("http-ingest", 2);
        assertThat(Files.readString(tmp.resolve("results").resolve("http-ingest.txt")))
                .containsPattern("variant=fsync durability=fsync clients=4 batch=100 records=\\d+ .* p99_us=\\d+")
                .contains("variant=os durability=os");
    }

    @Test
    void shouldRunTheWebActivityExampleEndToEnd() throws Exception {
        assertRunnelResults("web-activity", 1);
        assertThat(Files.readString(tmp.resolve("results").resolve("web-activity.txt")))
                .contains("variant=file-log-job-sqlite parallelism=1 source=file sink=sqlite records=20000 ");
    }

    @Test
    void shouldRunAScenarioThroughBinRunnelBench() throws Exception {
        ProcessBuilder bench = new ProcessBuilder("sh", Path.of("..", "bin", "runnel").toString(), "bench", "log-read",
                "--quick", "--only", "runnel", "--dir", tmp.toString(), "--no-report");
        bench.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Run run = start(bench);

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).hasSize(4).allSatisfy(line -> assertThat(line).matches(String.format(RESULT, "log-read")));
    }

    @Test
    void shouldListTheJmhBenchmarks() throws Exception {
        Run run = run("-cp", JAR.toString(), "org.openjdk.jmh.Main", "-l");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(String.join("\n", run.stdout()))
                .contains("BatchBenchmark.encodeBatch", "BatchBenchmark.decodeBatch", "SparseIndexBenchmark.floorLookup",
                        "AppendBenchmark.send");
    }

    @Test
    void shouldExitTwoOnAnUnknownScenario() throws Exception {
        Run run = run("-jar", JAR.toString(), "no-such-scenario");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("unknown scenario 'no-such-scenario'");
    }
}
