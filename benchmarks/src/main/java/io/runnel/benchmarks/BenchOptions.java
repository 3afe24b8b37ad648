package io.runnel.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The command line of {@code benchmarks.jar}, parsed and validated. Immutable.
 *
 * @param scenario the scenario name (first argument)
 * @param quick shrink the data for a smoke run
 * @param only the systems to run; empty means all of the scenario's systems
 * @param seed seed of the generated data
 * @param records overrides the record or event count of every system, or -1 for the defaults
 * @param passes overrides the measured passes of the scenarios that measure several (log-append,
 *     log-read), or -1 for their defaults
 * @param dataDir parent of the temporary directories the systems write to
 * @param report the HTML report file, or null for none
 */
public record BenchOptions(
        String scenario, boolean quick, Set<String> only, long seed, long records, int passes, Path dataDir,
        Path report) {

    /** Most measured passes {@code --passes} takes. */
    public static final int MAX_PASSES = 99;

    /** Thrown for a bad command line; the message names the argument and the fix. */
    public static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public UsageException(String message) {
            super(message);
        }
    }

    /** True when {@code system} should run (no {@code --only}, or it is named there). */
    public boolean includes(String system) {
        return only.isEmpty() || only.contains(system);
    }

    /** {@code quick} when {@link #quick()}, else {@code full}: picks a data size. */
    public long size(long full, long quick) {
        if (records > 0) {
            return records;
        }
        return this.quick ? quick : full;
    }

    /** The measured passes: {@code --passes} if given, else {@code quick} when {@link #quick()}, else {@code full}. */
    public int passes(int full, int quick) {
        if (passes > 0) {
            return passes;
        }
        return this.quick ? quick : full;
    }

    /**
     * Parses the arguments after the scenario name. Returns null for {@code --help}.
     *
     * @throws UsageException naming the bad argument
     */
    public static BenchOptions parse(List<String> args, Path defaultReport) {
        if (args.isEmpty()) {
            throw new UsageException("missing <scenario>: run with --help to list the scenarios");
        }
        if (args.contains("--help") || args.contains("-h") || args.get(0).equals("help")) {
            return null;
        }
        String scenario = args.get(0);
        if (scenario.startsWith("-")) {
            throw new UsageException("the first argument must be a scenario, got flag '" + scenario
                    + "': run with --help to list the scenarios");
        }
        boolean quick = false;
        Set<String> only = new LinkedHashSet<>();
        long seed = 42;
        long records = -1;
        int passes = -1;
        Path dataDir = Path.of(System.getProperty("java.io.tmpdir"));
        Path report = defaultReport;
        List<String> rest = new ArrayList<>(args.subList(1, args.size()));
        for (int i = 0; i < rest.size(); i++) {
            String flag = rest.get(i);
            switch (flag) {
                case "--quick" -> quick = true;
                case "--only" -> {
                    for (String s : value(rest, i++, flag, "a system such as runnel, kafka, kafka-streams or flink")
                            .split(",")) {
                        if (!s.isBlank()) {
                            only.add(s.trim());
                        }
                    }
                }
                case "--seed" -> seed = longValue(rest, i++, flag, Long.MIN_VALUE);
                case "--records" -> records = longValue(rest, i++, flag, 1);
                case "--passes" -> {
                    long n = longValue(rest, i++, flag, 1);
                    if (n > MAX_PASSES) {
                        throw new UsageException("--passes must be at most " + MAX_PASSES + " (each pass reads or "
                                + "appends the whole record count), got " + n);
                    }
                    passes = (int) n;
                }
                case "--dir" -> {
                    dataDir = Path.of(value(rest, i++, flag, "a directory for temporary data"));
                    if (!Files.isDirectory(dataDir) || !Files.isWritable(dataDir)) {
                        throw new UsageException("--dir " + dataDir + " is not a writable directory: "
                                + "create it or name another one");
                    }
                }
                case "--report" -> report = Path.of(value(rest, i++, flag, "an HTML file to write"));
                case "--no-report" -> report = null;
                default -> throw new UsageException("unknown flag '" + flag + "' for scenario " + scenario
                        + ": known flags are --quick, --only <system>, --seed <n>, --records <n>, --passes <n>, "
                        + "--dir <path>, --report <file>, --no-report, --help");
            }
        }
        return new BenchOptions(scenario, quick, Collections.unmodifiableSet(only), seed, records, passes, dataDir,
                report);
    }

    private static String value(List<String> args, int flagIndex, String flag, String what) {
        if (flagIndex + 1 >= args.size() || args.get(flagIndex + 1).startsWith("--")) {
            throw new UsageException(flag + " needs a value: " + what);
        }
        return args.get(flagIndex + 1);
    }

    private static long longValue(List<String> args, int flagIndex, String flag, long min) {
        String v = value(args, flagIndex, flag, "a number");
        long parsed;
        try {
            parsed = Long.parseLong(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new UsageException(flag + " needs a whole number, got '" + v + "'");
        }
        if (parsed < min) {
            throw new UsageException(flag + " must be at least " + min + ", got " + parsed);
        }
        return parsed;
    }
}
