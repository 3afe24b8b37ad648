package io.runnel.benchmarks.report;

import io.runnel.benchmarks.BenchResult;
import io.runnel.benchmarks.latency.LatencyDistribution;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * A self-contained HTML page (inline SVG, no scripts, no external files) of the latest results of
 * every scenario: throughput bars per system and variant, Runnel's ratio to the best anchor, and
 * for latency scenarios the percentile distribution. Stateless.
 */
public final class HtmlReport {

    private static final int LABEL_W = 230;
    private static final int BAR_W = 520;
    private static final int ROW_H = 24;
    private static final String[] DASHES = {"", "7,4", "2,3", "10,3,2,3"};

    private HtmlReport() {}

    /** The colour of a system's bars and lines. */
    static String color(String system) {
        return switch (system) {
            case "runnel" -> "#2b8a3e";
            case "kafka" -> "#1c7ed6";
            case "kafka-streams" -> "#7048e8";
            case "flink" -> "#e8590c";
            default -> "#868e96";
        };
    }

    /**
     * Writes the report of {@code files} (scenarios in the given order) to {@code target};
     * {@code notes} holds a line to show under a scenario's title (by scenario name), such as why it
     * has no anchor.
     */
    public static void write(Path target, List<ResultsFile> files, Map<String, String> notes, String generatedAt)
            throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(target, render(files, notes, generatedAt), StandardCharsets.UTF_8);
    }

    static String render(List<ResultsFile> files, Map<String, String> notes, String generatedAt) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>Runnel benchmarks</title>\n<style>\n")
                .append("body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2em auto;max-width:980px;color:#212529}\n")
                .append("h1{margin-bottom:.2em}h2{margin-top:2em;border-bottom:1px solid #dee2e6;padding-bottom:.2em}\n")
                .append(".meta{color:#868e96;font-size:.9em}.ratio{font-size:1.05em;background:#f1f3f5;padding:.5em .8em;border-radius:4px}\n")
                .append("table{border-collapse:collapse;font-size:.85em;margin-top:1em}td,th{padding:3px 8px;border-bottom:1px solid #e9ecef;text-align:right}\n")
                .append("td:first-child,td:nth-child(2),th:first-child,th:nth-child(2){text-align:left}.failed{color:#c92a2a}\n")
                .append("svg text{font-size:12px;font-family:inherit}\n</style></head><body>\n")
                .append("<h1>Runnel benchmarks</h1>\n<p class=\"meta\">Generated ").append(esc(generatedAt))
                .append(" from the latest run of each scenario (<code>java -jar benchmarks.jar &lt;scenario&gt;</code>). ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
                .append(esc(System.getProperty("java.version")))
                .append(". Figures from a shared machine are noisy: compare ratios from one run, not runs.</p>\n");
        if (files.isEmpty()) {
            h.append("<p>No results yet.</p>\n");
        }
        for (ResultsFile file : files) {
            scenario(h, file, notes.get(file.scenario()));
        }
        return h.append("</body></html>\n").toString();
    }

    private static void scenario(StringBuilder h, ResultsFile file, String note) {
        h.append("<h2 id=\"").append(esc(file.scenario())).append("\">").append(esc(file.scenario())).append("</h2>\n")
                .append("<p class=\"meta\">Run finished ").append(esc(file.writtenAt())).append("</p>\n");
        if (note != null) {
            h.append("<p class=\"meta\">").append(esc(note)).append("</p>\n");
        }
        List<BenchResult> results = file.results();
        List<String> runs = results.stream().map(r -> r.field("run_at")).filter(Objects::nonNull).distinct()
                .toList();
        if (runs.size() > 1) {
            h.append("<p class=\"meta\">Combined from the runs at ").append(esc(String.join(", ", runs)))
                    .append(" (systems run separately with --only): ratios across runs are less reliable.</p>\n");
        }
        // A paced run (log-latency: every result has a fixed rate) is judged by its latency only; a
        // throughput run may also report latency (http-ingest), which is then drawn too.
        boolean paced = !results.isEmpty() && results.stream().allMatch(r -> r.isLatency() && r.field("rate") != null);
        boolean anyLatency = results.stream().anyMatch(BenchResult::isLatency);
        ratio(h, results, paced);
        if (!results.isEmpty() && !paced) {
            h.append("<h3>Throughput (records or events per second, higher is better)</h3>\n");
            bars(h, results, BenchResult::recordsPerSecond, "/s");
            List<BenchResult> withPasses = results.stream().filter(r -> r.field("pass_records_per_s") != null
                    && r.field("pass_records_per_s").contains(",")).toList();
            if (!withPasses.isEmpty()) {
                h.append("<h3>Throughput by measured pass (the result is the median pass)</h3>\n");
                passes(h, withPasses);
            }
        }
        if (anyLatency) {
            List<BenchResult> withLatency = results.stream().filter(BenchResult::isLatency).toList();
            h.append("<h3>p99 latency (lower is better)</h3>\n");
            bars(h, withLatency, r -> Double.parseDouble(r.field("p99_us")) / 1000.0, "ms");
            if (!file.distributions().isEmpty()) {
                h.append("<h3>Latency by percentile</h3>\n");
                distribution(h, withLatency, file.distributions());
            }
        }
        table(h, results);
        for (String failure : file.failures()) {
            h.append("<p class=\"failed\">").append(esc(failure)).append("</p>\n");
        }
    }

    /**
     * Runnel's best variant against each anchor's best. When Runnel has variants that read a log
     * topic ({@code source=log}), those are the ones compared (issue 3's targets are about Runnel
     * reading a topic); the best of the others follows for reference. When Runnel also read through
     * record views ({@code api=view}), the best read through {@code ConsumerRecord}s
     * ({@code api=poll}, the API Kafka's consumer has) follows for reference.
     */
    private static void ratio(StringBuilder h, List<BenchResult> results, boolean latency) {
        List<BenchResult> runnel = results.stream().filter(r -> r.system().equals("runnel")).toList();
        List<BenchResult> fromLog = runnel.stream().filter(r -> "log".equals(r.field("source"))).toList();
        if (fromLog.isEmpty()) {
            ratioLine(h, "ratio", "Runnel's best", runnel, results, latency);
            if (runnel.stream().anyMatch(r -> "view".equals(r.field("api")))) {
                ratioLine(h, "meta", "For reference, Runnel's best through ConsumerRecords (api=poll, as Kafka's consumer"
                        + " reads)", runnel.stream().filter(r -> "poll".equals(r.field("api"))).toList(), results, latency);
            }
            return;
        }
        ratioLine(h, "ratio", "Runnel's best log-topic variant", fromLog, results, latency);
        List<BenchResult> others = runnel.stream().filter(r -> !fromLog.contains(r)).toList();
        ratioLine(h, "meta", "For reference, Runnel's best variant from another source", others, results, latency);
    }

    private static void ratioLine(StringBuilder h, String cssClass, String label, List<BenchResult> runnelResults,
            List<BenchResult> results, boolean latency) {
        Comparator<BenchResult> better = latency
                ? Comparator.comparingDouble((BenchResult r) -> -Double.parseDouble(r.field("p99_us")))
                : Comparator.comparingDouble(BenchResult::recordsPerSecond);
        Optional<BenchResult> runnel = runnelResults.stream().max(better);
        if (runnel.isEmpty()) {
            return;
        }
        List<String> parts = new ArrayList<>();
        results.stream().map(BenchResult::system).filter(s -> !s.equals("runnel")).distinct().forEach(system -> {
            BenchResult anchor = results.stream().filter(r -> r.system().equals(system)).max(better).orElseThrow();
            double ratio = latency
                    ? Double.parseDouble(anchor.field("p99_us")) / Math.max(1, Double.parseDouble(runnel.get().field("p99_us")))
                    : runnel.get().recordsPerSecond() / anchor.recordsPerSecond();
            parts.add(String.format(Locale.ROOT, "<b>%.1fx</b> %s (%s)", ratio, esc(system), esc(anchor.variant())));
        });
        if (!parts.isEmpty()) {
            h.append("<p class=\"").append(cssClass).append("\">").append(esc(label)).append(" (")
                    .append(esc(runnel.get().variant())).append(latency ? ") p99 is lower by " : ") against the best of ")
                    .append(String.join(", ", parts)).append("</p>\n");
        }
    }

    private static void bars(StringBuilder h, List<BenchResult> results, ToDoubleFunction<BenchResult> value, String unit) {
        double max = results.stream().mapToDouble(value).max().orElse(1);
        int height = results.size() * ROW_H + 10;
        h.append("<svg width=\"").append(LABEL_W + BAR_W + 110).append("\" height=\"").append(height)
                .append("\" role=\"img\">\n");
        int y = 4;
        for (BenchResult r : results) {
            double v = value.applyAsDouble(r);
            double w = max > 0 ? Math.max(1, v / max * BAR_W) : 1;
            h.append(String.format(Locale.ROOT,
                    "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s %s</text>"
                            + "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s</title></rect>"
                            + "<text x=\"%.1f\" y=\"%d\">%s</text>\n",
                    LABEL_W - 6, y + 15, esc(r.system()), esc(r.variant()),
                    LABEL_W, y + 2, w, ROW_H - 6, color(r.system()), esc(r.line()),
                    LABEL_W + w + 5, y + 15, esc(human(v, unit))));
            y += ROW_H;
        }
        h.append("</svg>\n");
    }

    private static void distribution(StringBuilder h, List<BenchResult> results, Map<String, LatencyDistribution> dists) {
        int w = 760;
        int ht = 340;
        int left = 70;
        int right = 200;
        int top = 15;
        int bottom = 40;
        double minUs = Double.MAX_VALUE;
        double maxUs = 1;
        for (LatencyDistribution d : dists.values()) {
            for (long v : d.micros()) {
                minUs = Math.min(minUs, Math.max(1, v));
                maxUs = Math.max(maxUs, v);
            }
        }
        double lo = Math.floor(Math.log10(minUs));
        double hi = Math.max(lo + 1, Math.ceil(Math.log10(maxUs)));
        double xMax = 4.5;
        h.append("<svg width=\"").append(w).append("\" height=\"").append(ht).append("\" role=\"img\">\n");
        int plotW = w - left - right;
        int plotH = ht - top - bottom;
        for (double e = lo; e <= hi; e++) {
            double y = top + plotH - (e - lo) / (hi - lo) * plotH;
            h.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e9ecef\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                    left, left + plotW, y, y, left - 6, y + 4, esc(human(Math.pow(10, e) / 1000.0, "ms"))));
        }
        double[] ticks = {50, 90, 99, 99.9, 99.99, 100};
        for (double p : ticks) {
            double x = left + xOf(p) / xMax * plotW;
            h.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#e9ecef\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                    x, x, top, top + plotH, x, top + plotH + 16, p >= 100 ? "max" : "p" + trim(p)));
        }
        h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">percentile</text>\n",
                left + plotW / 2, ht - 4));
        int legendY = top + 10;
        Map<String, Integer> linesPerSystem = new HashMap<>();
        for (BenchResult r : results) {
            LatencyDistribution d = dists.get(r.system() + "/" + r.variant());
            if (d == null) {
                continue;
            }
            StringBuilder points = new StringBuilder();
            double[] ps = d.percentiles();
            long[] us = d.micros();
            for (int i = 0; i < ps.length; i++) {
                double x = left + xOf(ps[i]) / xMax * plotW;
                double y = top + plotH - (Math.log10(Math.max(1, us[i])) - lo) / (hi - lo) * plotH;
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                h.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"><title>%s %s p%s: %s</title></circle>\n",
                        x, y, color(r.system()), esc(r.system()), esc(r.variant()), trim(ps[i]), esc(human(us[i] / 1000.0, "ms"))));
            }
            series(h, r, linesPerSystem.merge(r.system(), 1, Integer::sum) - 1, points, left + plotW + 12, legendY);
            legendY += 18;
        }
        h.append("</svg>\n");
    }

    /** One line per variant through its passes' rates (pass_records_per_s), so a slow start shows. */
    private static void passes(StringBuilder h, List<BenchResult> results) {
        int w = 760;
        int ht = 260;
        int left = 84;
        int right = 200;
        int top = 15;
        int bottom = 36;
        int plotW = w - left - right;
        int plotH = ht - top - bottom;
        List<double[]> rates = new ArrayList<>();
        int maxPasses = 2;
        double max = 1;
        for (BenchResult r : results) {
            double[] v = java.util.Arrays.stream(r.field("pass_records_per_s").split(",")).mapToDouble(Double::parseDouble)
                    .toArray();
            rates.add(v);
            maxPasses = Math.max(maxPasses, v.length);
            for (double x : v) {
                max = Math.max(max, x);
            }
        }
        h.append("<svg width=\"").append(w).append("\" height=\"").append(ht).append("\" role=\"img\">\n");
        for (int i = 0; i <= 4; i++) {
            double y = top + plotH - i / 4.0 * plotH;
            h.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e9ecef\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                    left, left + plotW, y, y, left - 6, y + 4, i == 0 ? "0" : esc(human(max * i / 4.0, "/s"))));
        }
        for (int p = 0; p < maxPasses; p++) {
            double x = left + (double) p / (maxPasses - 1) * plotW;
            h.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>\n",
                    x, top + plotH + 16, p + 1));
        }
        h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">pass</text>\n",
                left + plotW / 2, ht - 4));
        int legendY = top + 10;
        Map<String, Integer> linesPerSystem = new HashMap<>();
        for (int i = 0; i < results.size(); i++) {
            BenchResult r = results.get(i);
            double[] v = rates.get(i);
            StringBuilder points = new StringBuilder();
            for (int p = 0; p < v.length; p++) {
                double x = left + (double) p / (maxPasses - 1) * plotW;
                double y = top + plotH - v[p] / max * plotH;
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                h.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"><title>%s %s pass %d: %s</title></circle>\n",
                        x, y, color(r.system()), esc(r.system()), esc(r.variant()), p + 1, esc(human(v[p], "/s"))));
            }
            series(h, r, linesPerSystem.merge(r.system(), 1, Integer::sum) - 1, points, left + plotW + 12, legendY);
            legendY += 18;
        }
        h.append("</svg>\n");
    }

    /**
     * A line through {@code points} in the system's colour (its {@code nth} variant dashed its own
     * way) and its legend entry at ({@code legendX}, {@code legendY}).
     */
    private static void series(StringBuilder h, BenchResult r, int nth, CharSequence points, int legendX, int legendY) {
        String dash = DASHES[nth % DASHES.length].isEmpty() ? ""
                : " stroke-dasharray=\"" + DASHES[nth % DASHES.length] + "\"";
        h.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(color(r.system())).append('"')
                .append(dash).append(" points=\"").append(points.toString().trim()).append("\"/>\n");
        h.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>"
                + "<text x=\"%d\" y=\"%d\">%s %s</text>\n",
                legendX, legendX + 24, legendY, legendY, color(r.system()), dash,
                legendX + 30, legendY + 4, esc(r.system()), esc(r.variant())));
    }

    /** Horizontal position of a percentile: the number of nines, so p50..p99.99 spread evenly. */
    private static double xOf(double percentile) {
        if (percentile >= 100) {
            return 4.5;
        }
        return Math.min(4.2, -Math.log10(1 - percentile / 100.0) - Math.log10(2));
    }

    private static void table(StringBuilder h, List<BenchResult> results) {
        if (results.isEmpty()) {
            return;
        }
        h.append("<table><tr><th>system</th><th>variant</th><th>records</th><th>seconds</th><th>records/s</th>"
                + "<th>MB/s</th><th>p50 µs</th><th>p99 µs</th><th>p99.9 µs</th><th>configuration</th></tr>\n");
        for (BenchResult r : results) {
            h.append("<tr><td>").append(esc(r.system())).append("</td><td>").append(esc(r.variant())).append("</td>");
            for (String key : new String[] {"records", "seconds", "records_per_s", "mb_per_s", "p50_us", "p99_us", "p999_us"}) {
                String v = r.field(key);
                h.append("<td>").append(v == null ? "" : esc(v)).append("</td>");
            }
            h.append("<td>").append(esc(config(r))).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static String config(BenchResult r) {
        List<String> parts = new ArrayList<>();
        String line = r.line();
        for (String token : line.substring("RESULT ".length()).split(" ")) {
            String key = token.substring(0, token.indexOf('='));
            if (!List.of("name", "system", "variant", "records", "seconds", "records_per_s", "mb_per_s", "p50_us",
                    "p99_us", "p999_us", "run_at").contains(key)) {
                parts.add(token);
            }
        }
        return String.join(" ", parts);
    }

    static String human(double v, String unit) {
        if (unit.equals("ms")) {
            return v >= 100 ? String.format(Locale.ROOT, "%.0f ms", v)
                    : v >= 1 ? String.format(Locale.ROOT, "%.2f ms", v) : String.format(Locale.ROOT, "%.0f µs", v * 1000);
        }
        if (v >= 1e6) {
            return String.format(Locale.ROOT, "%.2f M%s", v / 1e6, unit);
        }
        if (v >= 1e3) {
            return String.format(Locale.ROOT, "%.1f k%s", v / 1e3, unit);
        }
        return String.format(Locale.ROOT, "%.0f %s", v, unit);
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
