package io.runnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/runnel} as a user runs it: a real process, from any working directory, on the packaged jar. */
class BinRunnelIT {
    @TempDir
    Path dir;

    @BeforeAll
    static void jarIsBuilt() {
        assertThat(RunnelProcess.HOME.resolve("cli/target/runnel-cli.jar"))
                .as("the IT runs after mvn package").exists();
    }

    @Test
    void shouldRunFromAnyDirectoryWithTheDefaultAndTheEnvironmentsLogDirectory() throws Exception {
        Path cwd = Files.createDirectories(dir.resolve("somewhere"));
        CliRunner.Result help = RunnelProcess.run(cwd, Map.of(), "", "--help");
        assertThat(help.exitCode()).as(help.toString()).isZero();
        assertThat(help.out()).startsWith("Usage: runnel");

        CliRunner.Result create = RunnelProcess.run(cwd, Map.of(), "", "topic", "create", "here");
        assertThat(create.exitCode()).as(create.toString()).isZero();
        assertThat(cwd.resolve("runnel-log/here")).isDirectory();

        Path envDir = dir.resolve("from-env");
        CliRunner.Result envCreate = RunnelProcess.run(cwd, Map.of(LogDirOption.ENV, envDir.toString()), "", "topic",
                "create", "there");
        assertThat(envCreate.exitCode()).isZero();
        assertThat(envDir.resolve("there")).isDirectory();

        // through a symlink in another directory
        Path link = Files.createSymbolicLink(dir.resolve("runnel-link"), RunnelProcess.SCRIPT);
        try (RunnelProcess p = RunnelProcess.start(link, cwd, Map.of(), "topic", "list")) {
            p.closeStdin();
            CliRunner.Result list = p.await();
            assertThat(list.exitCode()).as(list.toString()).isZero();
            assertThat(list.out()).isEqualTo("here\n");
        }

        CliRunner.Result usage = RunnelProcess.run(cwd, Map.of(), "", "topic", "create", "x", "--retention", "5x");
        assertThat(usage.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(usage.err()).contains("--retention", "'5x' is not a duration");
    }

    @Test
    void shouldSayHowToBuildWhenTheJarIsMissing() throws Exception {
        Path fakeHome = dir.resolve("checkout");
        Files.createDirectories(fakeHome.resolve("bin"));
        Path script = Files.copy(RunnelProcess.SCRIPT, fakeHome.resolve("bin/runnel"));
        try (RunnelProcess p = RunnelProcess.start(script, dir, Map.of(), "topic", "list")) {
            p.closeStdin();
            CliRunner.Result r = p.await();
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.err()).contains("not built", fakeHome.resolve("cli/target/runnel-cli.jar").toString(),
                    "run mvn -B package -DskipTests first");
        }
    }

    @Test
    void shouldFollowALogThatAnotherProcessIsWriting() throws Exception {
        String logDir = "--log-dir=" + dir.resolve("log");
        assertThat(RunnelProcess.run(dir, Map.of(), "", "topic", "create", "live", logDir, "--partitions", "2")
                .exitCode()).isZero();
        try (RunnelProcess producer = RunnelProcess.start(dir, "produce", "live", logDir);
                RunnelProcess consumer = startConsumerWhenOwned(producer, logDir)) {
            Conditions.await("the consumer printed the first 20 records", () -> lines(consumer.out()) == 20);
            assertThat(consumer.err()).contains("is owned by another process: reading it read-only");
            producer.writeStdin(lines(20, 30));
            Conditions.await("the consumer followed to 30 records", () -> lines(consumer.out()) == 30);

            consumer.terminate(); // SIGTERM: a following consume stops cleanly
            CliRunner.Result consumed = consumer.await();
            assertThat(consumed.err()).as(consumed.toString()).contains("30 records");
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                expected.add("line " + i);
            }
            assertThat(consumed.outLines()).containsExactlyInAnyOrderElementsOf(expected);

            producer.closeStdin();
            CliRunner.Result produced = producer.await();
            assertThat(produced.exitCode()).as(produced.toString()).isZero();
            assertThat(produced.out()).contains("30 records acknowledged, 0 failed");
        }
    }

    /** Feeds the producer 20 lines, waits until they are acknowledged (visible to a reader), starts a follower. */
    private RunnelProcess startConsumerWhenOwned(RunnelProcess producer, String logDir) throws Exception {
        producer.writeStdin(lines(0, 20));
        Conditions.await("the producer's first records are readable", () -> {
            try {
                CliRunner.Result r = CliRunner.run("consume", "live", logDir, "--from-beginning");
                return r.exitCode() == 0 && lines(r.out()) == 20;
            } catch (RuntimeException e) {
                return false;
            }
        });
        return RunnelProcess.start(dir, "consume", "live", logDir, "--from-beginning", "--follow");
    }

    @Test
    void shouldExitThreeWhenDumpFindsDamage() throws Exception {
        String logDir = "--log-dir=" + dir.resolve("log");
        assertThat(RunnelProcess.run(dir, Map.of(), "", "topic", "create", "t", logDir).exitCode()).isZero();
        assertThat(RunnelProcess.run(dir, Map.of(), lines(0, 100), "produce", "t", logDir).exitCode()).isZero();
        Path segment = dir.resolve("log/t/0/00000000000000000000.log");
        CliRunner.Result clean = RunnelProcess.run(dir, Map.of(), "", "dump", segment.toString());
        assertThat(clean.exitCode()).as(clean.toString()).isZero();
        try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
            f.seek(70);
            int b = f.read();
            f.seek(70);
            f.write(b ^ 1);
        }
        CliRunner.Result damaged = RunnelProcess.run(dir, Map.of(), "", "dump", segment.toString());
        assertThat(damaged.exitCode()).isEqualTo(ExitCode.DAMAGE);
        assertThat(damaged.out()).contains(segment + " position 0 (offset 0): CRC32C mismatch");
    }

    private static String lines(int from, int to) {
        StringBuilder b = new StringBuilder();
        for (int i = from; i < to; i++) {
            b.append("line ").append(i).append('\n');
        }
        return b.toString();
    }

    private static long lines(String text) {
        return text.chars().filter(c -> c == '\n').count();
    }
}
