package io.runnel.benchmarks.report;

import io.runnel.benchmarks.BenchContext;
import io.runnel.benchmarks.BenchResult;
import io.runnel.benchmarks.latency.LatencyDistribution;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The results of a scenario as a text file ({@code results/<scenario>.txt} next to the report):
 * RESULT lines, a {@code DISTRIBUTION} line per latency result and the {@code FAILED} lines of
 * the latest run. The report is drawn from these files, so it shows the latest result of every
 * scenario and system.
 *
 * @param scenario the scenario name
 * @param writtenAt when the run finished (ISO-8601)
 * @param results the RESULT lines
 * @param distributions latency distributions by {@code system/variant}
 * @param failures the FAILED lines
 */
public record ResultsFile(String scenario, String writtenAt, List<BenchResult> results,
        Map<String, LatencyDistribution> distributions, List<String> failures) {

    private static final String DISTRIBUTION = "DISTRIBUTION ";
    private static final String WRITTEN = "# written ";

    /**
     * Writes the file of a finished scenario. Results of systems this run did not include (it ran
     * with {@code --only}) are kept from the previous file, so the report still shows them; every
     * stored line carries {@code run_at}, the time of the run that measured it.
     */
    public static Path write(Path dir, BenchContext context, String writtenAt) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(context.options().scenario() + ".txt");
        List<String> lines = new ArrayList<>();
        lines.add(WRITTEN + writtenAt);
        if (Files.exists(file)) {
            ResultsFile previous = read(file);
            for (BenchResult r : previous.results()) {
                if (!context.options().includes(r.system())) {
                    lines.add(r.line());
                    LatencyDistribution d = previous.distributions().get(BenchContext.key(r));
                    if (d != null) {
                        lines.add(DISTRIBUTION + BenchContext.key(r) + " " + d.encode());
                    }
                }
            }
        }
        for (BenchResult r : context.results()) {
            lines.add(r.line() + " run_at=" + writtenAt);
            LatencyDistribution d = context.distributions().get(BenchContext.key(r));
            if (d != null) {
                lines.add(DISTRIBUTION + BenchContext.key(r) + " " + d.encode());
            }
        }
        lines.addAll(context.failures());
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file;
    }

    /** Reads a file written by {@link #write}. */
    public static ResultsFile read(Path file) throws IOException {
        String name = file.getFileName().toString().replaceFirst("\\.txt$", "");
        String writtenAt = "";
        List<BenchResult> results = new ArrayList<>();
        Map<String, LatencyDistribution> distributions = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.startsWith(WRITTEN)) {
                writtenAt = line.substring(WRITTEN.length()).trim();
            } else if (line.startsWith("RESULT ")) {
                results.add(BenchResult.parse(line));
            } else if (line.startsWith(DISTRIBUTION)) {
                String[] parts = line.substring(DISTRIBUTION.length()).trim().split(" ");
                distributions.put(parts[0], LatencyDistribution.decode(parts[1]));
            } else if (line.startsWith("FAILED ")) {
                failures.add(line);
            }
        }
        return new ResultsFile(name, writtenAt, results, distributions, failures);
    }
}
