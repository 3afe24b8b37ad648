package io.runnel.benchmarks;

import io.runnel.benchmarks.report.HtmlReport;
import io.runnel.benchmarks.report.ResultsFile;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code java -jar benchmarks.jar <scenario> [--quick] [--only <system>] [...]}: runs one scenario
 * and prints one {@code RESULT} line per measured variant on standard output (progress goes to
 * standard error), then writes the results file and the HTML report.
 *
 * <p>Exit codes: 0 all ran and passed their checks; 1 a system failed or its check failed (a
 * {@code FAILED} line says which); 2 a bad command line.
 */
public final class BenchCommand {

    private BenchCommand() {}

    public static void main(String[] args) {
        // The anchors log through slf4j at INFO by default, which buries the progress lines.
        quietLogger("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        // Flink's local cluster warns about things only a real deployment has (tokens, log files).
        quietLogger("org.slf4j.simpleLogger.log.org.apache.flink.runtime.security.token", "error");
        quietLogger("org.slf4j.simpleLogger.log.org.apache.flink.runtime.webmonitor.WebMonitorUtils", "error");
        // Kafka Streams advises on naming and temp dirs; its consumers report internal topics
        // that are being created as missing for a moment.
        quietLogger("org.slf4j.simpleLogger.log.org.apache.kafka.streams.processor.internals.InternalTopologyBuilder", "error");
        quietLogger("org.slf4j.simpleLogger.log.org.apache.kafka.streams.StreamsConfig", "error");
        quietLogger("org.slf4j.simpleLogger.log.org.apache.kafka.streams.processor.internals.StateDirectory", "error");
        quietLogger("org.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient", "error");
        int code = run(Arrays.asList(args), System.out, System.err);
        // Kafka and Flink leave non-daemon threads behind; the benchmark is over.
        System.exit(code);
    }

    private static void quietLogger(String property, String level) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, level);
        }
    }

    /** Runs the command; returns the exit code. */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        Path defaultReport = defaultReportDir().resolve("report.html");
        BenchOptions options;
        try {
            if (!args.isEmpty() && args.get(0).equals("report")) {
                return regenerateReport(args.subList(1, args.size()), defaultReport, out, err);
            }
            options = BenchOptions.parse(args, defaultReport);
            if (options == null) {
                out.print(usage(defaultReport));
                return 0;
            }
        } catch (BenchOptions.UsageException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        Scenario scenario = Scenarios.named(options.scenario()).orElse(null);
        if (scenario == null) {
            err.println("error: unknown scenario '" + options.scenario() + "': known scenarios are " + names()
                    + " (run with --help)");
            return 2;
        }
        for (String system : options.only()) {
            if (!scenario.systems().contains(system)) {
                err.println("error: --only " + system + ": scenario " + scenario.name() + " runs "
                        + String.join(", ", scenario.systems()));
                return 2;
            }
        }
        return runScenario(scenario, options, out, err);
    }

    private static int runScenario(Scenario scenario, BenchOptions options, PrintStream out, PrintStream err) {
        BenchContext context = new BenchContext(options, out);
        Thread cleanup = new Thread(context::close, "bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        Progress.say("%s: systems %s%s, seed %d, data under %s", scenario.name(),
                options.only().isEmpty() ? scenario.systems() : options.only(), options.quick() ? " (quick)" : "",
                options.seed(), options.dataDir());
        try {
            scenario.run(context);
        } catch (Exception e) {
            err.println("FAILED name=" + scenario.name() + " reason: " + e);
            e.printStackTrace(err);
            return 1;
        } finally {
            context.close();
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
        if (options.report() != null) {
            try {
                Path dir = options.report().toAbsolutePath().getParent().resolve("results");
                ResultsFile.write(dir, context, now());
                writeReport(options.report(), dir);
                Progress.say("report: %s", options.report().toAbsolutePath());
            } catch (IOException e) {
                err.println("warning: could not write the report " + options.report() + ": " + e);
            }
        }
        if (!context.failures().isEmpty()) {
            err.println(context.failures().size() + " failure(s):");
            context.failures().forEach(err::println);
            return 1;
        }
        return 0;
    }

    private static int regenerateReport(List<String> args, Path defaultReport, PrintStream out, PrintStream err) {
        Path report = defaultReport;
        if (args.size() == 2 && args.get(0).equals("--report")) {
            report = Path.of(args.get(1));
        } else if (!args.isEmpty()) {
            err.println("error: usage: report [--report <file>]");
            return 2;
        }
        try {
            writeReport(report, report.toAbsolutePath().getParent().resolve("results"));
            out.println("report: " + report.toAbsolutePath());
            return 0;
        } catch (IOException e) {
            err.println("error: could not write " + report + ": " + e);
            return 1;
        }
    }

    private static void writeReport(Path report, Path resultsDir) throws IOException {
        List<ResultsFile> files = new ArrayList<>();
        List<String> order = new ArrayList<>();
        Scenarios.all().forEach(s -> order.add(s.name()));
        if (Files.isDirectory(resultsDir)) {
            try (Stream<Path> paths = Files.list(resultsDir)) {
                for (Path p : paths.filter(p -> p.toString().endsWith(".txt")).sorted().toList()) {
                    files.add(ResultsFile.read(p));
                }
            }
        }
        files.sort((a, b) -> Integer.compare(rank(order, a.scenario()), rank(order, b.scenario())));
        Map<String, String> notes = new HashMap<>();
        Scenarios.all().stream().filter(s -> s.note() != null).forEach(s -> notes.put(s.name(), s.note()));
        HtmlReport.write(report, files, notes, now());
    }

    private static int rank(List<String> order, String scenario) {
        int i = order.indexOf(scenario);
        return i < 0 ? Integer.MAX_VALUE : i;
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String names() {
        return String.join(", ", Scenarios.all().stream().map(Scenario::name).toList());
    }

    /** The directory of the jar ({@code benchmarks/target}), or the working directory. */
    static Path defaultReportDir() {
        try {
            Path code = Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(code)) {
                return code.getParent();
            }
            if (Files.isDirectory(code) && code.getParent() != null) {
                return code.getParent(); // target/classes -> target
            }
        } catch (URISyntaxException | RuntimeException e) {
            // Fall back to the working directory.
        }
        return Path.of("");
    }

    static String usage(Path defaultReport) {
        StringBuilder sb = new StringBuilder();
        sb.append("usage: java -jar benchmarks.jar <scenario> [flags]\n")
                .append("       java -jar benchmarks.jar report [--report <file>]   (redraw the HTML report)\n")
                .append("       java -cp benchmarks.jar org.openjdk.jmh.Main <regex>    (JMH micro-benchmarks)\n\n")
                .append("Runs Runnel and the systems it is compared with on the same generated data, checks each\n")
                .append("system's output, and prints one line per measured variant on standard output:\n")
                .append("  RESULT name=<scenario> system=<system> variant=<v> [config] records=<n> seconds=<s> records_per_s=<x> ...\n")
                .append("Progress goes to standard error.\n\nScenarios:\n");
        for (Scenario s : Scenarios.all()) {
            sb.append(String.format("  %-16s %s%n  %-16s systems: %s%s%n", s.name(), s.summary(), "",
                    String.join(", ", s.systems()), s.systems().size() == 1 ? " (no anchor: the issue names none)" : ""));
        }
        sb.append("\nFlags:\n")
                .append("  --quick            small data for a smoke run (never for figures)\n")
                .append("  --only <system>    run only these systems (comma-separated)\n")
                .append("  --seed <n>         seed of the generated data (default 42)\n")
                .append("  --records <n>      records or events per run instead of the scenario's default\n")
                .append("  --passes <n>       measured passes of log-append and log-read (default 5; the median is reported)\n")
                .append("  --dir <path>       where the systems keep their data (default: the temp directory)\n")
                .append("  --report <file>    the HTML report (default ").append(defaultReport).append(")\n")
                .append("  --no-report        write no report and no results file\n")
                .append("  --help             this text\n\n")
                .append("Exit codes: 0 ok; 1 a system or its correctness check failed; 2 bad command line.\n");
        return sb.toString();
    }
}
