package io.runnel.cli;

import static io.runnel.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** --help everywhere; bad command lines are named, with the fix, before anything happens. */
class UsageTest {
    @TempDir
    Path dir;

    /** Every command path of the tree: [], [topic], [topic, create], ... */
    private static List<List<String>> commandPaths() {
        Terminal t = new Terminal(System.in, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream()), Map.of(), null, Clock.systemUTC());
        List<List<String>> paths = new ArrayList<>();
        collect(Runnel.commandLine(t), new ArrayList<>(), paths);
        return paths;
    }

    private static void collect(CommandLine cl, List<String> path, List<List<String>> out) {
        out.add(List.copyOf(path));
        for (var e : cl.getSubcommands().entrySet()) {
            List<String> p = new ArrayList<>(path);
            p.add(e.getKey());
            collect(e.getValue(), p, out);
        }
    }

    @Test
    void shouldPrintHelpForEveryCommandAndExitZero() {
        List<List<String>> paths = commandPaths();
        assertThat(paths).contains(List.of("topic", "create"), List.of("topic", "list"), List.of("topic", "describe"),
                List.of("topic", "delete"), List.of("group", "list"), List.of("group", "describe"),
                List.of("group", "reset"), List.of("produce"), List.of("consume"), List.of("dump"), List.of("run"),
                List.of("bench"));
        for (List<String> path : paths) {
            for (String flag : List.of("--help", "-h")) {
                List<String> args = new ArrayList<>(path);
                args.add(flag);
                CliRunner.Result r = run(args.toArray(String[]::new));
                assertThat(r.exitCode()).as("%s: %s", args, r).isZero();
                assertThat(r.out()).as("%s", args).startsWith("Usage: runnel" + (path.isEmpty() ? ""
                        : " " + String.join(" ", path)));
                assertThat(r.err()).isEmpty();
            }
        }
        assertThat(run("--version").out()).startsWith("runnel ");
    }

    @Test
    void shouldNameTheBadValueAndTheFixBeforeTouchingTheLog() {
        Path absent = dir.resolve("not-created");
        String logDir = "--log-dir=" + absent;
        expectUsage(run("topic", "create", "t", logDir, "--retention", "5x"),
                "Invalid value for option '--retention': '5x' is not a duration", "500ms, 5s, 30m, 1h, 7d");
        expectUsage(run("topic", "create", "t", logDir, "--partitions", "-3"),
                "Invalid value for option '--partitions': '-3' is not a partition count", "from 1 to 10000");
        expectUsage(run("topic", "create", "t", logDir, "--partitions", "many"), "'many' is not a partition count");
        expectUsage(run("topic", "create", "t", logDir, "--cleanup", "shred"),
                "'shred' is not a cleanup policy: write delete or compact");
        expectUsage(run("topic", "create", "t", logDir, "--compression", "gzip"),
                "'gzip' is not a compression: write none, lz4 or zstd");
        expectUsage(run("topic", "create", "t", logDir, "--retention-bytes", "10GB"),
                "'10GB' is not a size", "KiB, MiB, GiB");
        expectUsage(run("topic", "create", "t", logDir, "--segment-bytes", "10"), "'10' is not a segment size");
        expectUsage(run("consume", "t", logDir, "--format", "xml"),
                "Invalid value for option '--format': 'xml' is not a format: write value, key-value or json");
        expectUsage(run("consume", "t", logDir, "--from-time", "soon"), "'soon' is not a time", "epoch milliseconds");
        expectUsage(run("consume", "t", logDir, "--offset", "-1", "--partition", "0"), "'-1' is not an offset");
        expectUsage(run("consume", "t", logDir, "--offset", "5"), "--offset needs --partition <n>");
        expectUsage(run("consume", "t", logDir, "--from-beginning", "--from-time", "1"), "mutually exclusive");
        expectUsage(run("consume", "t", logDir, "--max-records", "0"), "'0' must be a whole number from 1");
        expectUsage(run("consume", "t", logDir, "--key-separator", ""), "the separator is empty");
        expectUsage(run("produce", "t", logDir, "--progress-interval", "0s"), "'0s' must be more than zero");
        expectUsage(run("produce", "t", logDir, "--frobnicate"), "Unknown option: '--frobnicate'",
                "see 'runnel produce --help'");
        expectUsage(run("consume", "t", logDir, "--from-begining"), "Unknown option: '--from-begining'",
                "--from-beginning");
        expectUsage(run("topic", "create", "bad/name", logDir), "<topic>", "'bad/name' is not valid",
                "[A-Za-z0-9._-]");
        expectUsage(run("consume", "t", logDir, "--group", ".hidden"), "--group", "'.hidden' is not valid");
        expectUsage(run("topic", "craete", "t"), "Unmatched argument", "create");
        expectUsage(run("consume"), "Missing required parameter: '<topic>'");
        expectUsage(run(), "missing command");
        expectUsage(run("topic"), "missing command: choose one of create, delete, describe, list");
        assertThat(Files.exists(absent)).as("nothing was created").isFalse();
    }

    private static void expectUsage(CliRunner.Result r, String... fragments) {
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).as(r.toString()).startsWith("error: ").contains(fragments);
        assertThat(r.out()).isEmpty();
    }
}
