package io.runnel.examples.common;

import io.runnel.log.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The flags of an example's command line: {@code --name value} or {@code --name=value}, each at most
 * once, and {@code --help}. {@link #parse} checks every flag before anything else happens; the typed
 * getters of {@link Parsed} convert values and name the flag and the fix when one is wrong.
 * Immutable once built; build it on one thread.
 */
public final class Flags {

    /** One flag: its name with the dashes, its value's label and its help text. */
    private record Flag(String name, String valueLabel, String help) {
    }

    private final String command;
    private final String description;
    private final Map<String, Flag> flags = new LinkedHashMap<>();

    private Flags(String command, String description) {
        this.command = command;
        this.description = description;
    }

    /** Flags of {@code command} (as the user types it, e.g. {@code java -jar web-activity.jar}). */
    public static Flags of(String command, String description) {
        return new Flags(Objects.requireNonNull(command, "command"), Objects.requireNonNull(description, "description"));
    }

    /** Adds a flag taking a value, e.g. {@code flag("--input", "<file>", "the events to read")}. */
    public Flags flag(String name, String valueLabel, String help) {
        if (!name.matches("--[a-z][a-z0-9-]*") || name.equals("--help")) {
            throw new IllegalArgumentException("flag names look like --out-of-orderness (and --help is built in), was " + name);
        }
        if (flags.putIfAbsent(name, new Flag(name, valueLabel, help)) != null) {
            throw new IllegalArgumentException("flag " + name + " is defined twice");
        }
        return this;
    }

    /** The text {@code --help} prints. */
    public String usage() {
        StringBuilder b = new StringBuilder("Usage: ").append(command);
        for (Flag f : flags.values()) {
            b.append(" [").append(f.name).append(' ').append(f.valueLabel).append(']');
        }
        b.append("\n\n").append(description).append("\n\nFlags:\n");
        int width = "--help".length();
        for (Flag f : flags.values()) {
            width = Math.max(width, f.name.length() + 1 + f.valueLabel.length());
        }
        for (Flag f : flags.values()) {
            String left = f.name + " " + f.valueLabel;
            b.append("  ").append(left).append(" ".repeat(width - left.length() + 2));
            b.append(f.help.replace("\n", "\n" + " ".repeat(width + 4))).append('\n');
        }
        b.append("  --help").append(" ".repeat(width - "--help".length() + 2)).append("print this help and exit\n");
        return b.toString();
    }

    /**
     * Reads {@code args}.
     *
     * @throws UsageException for an unknown flag, a flag without value, a flag given twice or a stray argument
     */
    public Parsed parse(String... args) {
        Map<String, String> values = new HashMap<>();
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
                continue;
            }
            if (!arg.startsWith("--")) {
                throw new UsageException("unexpected argument '" + arg + "': every input comes with a flag, like --input "
                        + arg + " (run with --help for the flags)");
            }
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            Flag flag = flags.get(name);
            if (flag == null) {
                throw new UsageException("unknown flag '" + name + "'" + suggestion(name) + " (run with --help for the flags)");
            }
            String value;
            if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            } else {
                throw new UsageException(name + " needs a value: " + name + " " + flag.valueLabel + " (" + flag.help.replace('\n', ' ') + ")");
            }
            if (values.put(name, value) != null) {
                throw new UsageException(name + " is given twice: give it once");
            }
        }
        return new Parsed(values, help);
    }

    private String suggestion(String name) {
        String best = null;
        int bestDistance = 3; // suggest only close misspellings
        for (String known : flags.keySet()) {
            int d = distance(name, known);
            if (d < bestDistance) {
                best = known;
                bestDistance = d;
            }
        }
        return best == null ? "" : ": did you mean " + best + "?";
    }

    /** Levenshtein distance, for suggestions. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }

    /** The flags of one command line. Immutable. */
    public static final class Parsed {
        private final Map<String, String> values;
        private final boolean help;

        private Parsed(Map<String, String> values, boolean help) {
            this.values = Map.copyOf(values);
            this.help = help;
        }

        /** Whether {@code --help} (or {@code -h}) was given. */
        public boolean help() {
            return help;
        }

        /** The raw value of {@code name}, or {@code orElse}. */
        public String string(String name, String orElse) {
            return values.getOrDefault(name, orElse);
        }

        /** The value of {@code name} as a path, or {@code orElse}. */
        public Path path(String name, Path orElse) {
            return convert(name, orElse, "a path, like data/events.jsonl", Path::of);
        }

        /**
         * The value of {@code name} as a duration (see {@link Durations}), or {@code orElse}. A bad
         * value's message is the parser's (what is wrong, the valid forms) after the flag's name.
         */
        public Duration duration(String name, Duration orElse) {
            String raw = values.get(name);
            if (raw == null) {
                return orElse;
            }
            try {
                return Durations.parse(raw);
            } catch (IllegalArgumentException e) {
                throw new UsageException(name + ": " + e.getMessage(), e);
            }
        }

        /** The value of {@code name} as a TCP port (1..65535), or {@code null}. */
        public Integer port(String name) {
            return convert(name, null, "a TCP port from 1 to 65535, like 8080", s -> {
                int p = Integer.parseInt(s);
                if (p < 1 || p > 65_535) {
                    throw new IllegalArgumentException("out of range");
                }
                return p;
            });
        }

        /** The value of {@code name} as a fraction in [0, 1] (e.g. {@code 0.05}, or {@code 5%}), or {@code orElse}. */
        public double fraction(String name, double orElse) {
            return convert(name, orElse, "a fraction from 0 to 1 like 0.05, or a percentage like 5%", s -> {
                double f = s.endsWith("%") ? Double.parseDouble(s.substring(0, s.length() - 1)) / 100 : Double.parseDouble(s);
                if (!(f >= 0 && f <= 1)) {
                    throw new IllegalArgumentException("out of range");
                }
                return f;
            });
        }

        private <T> T convert(String name, T orElse, String expected, Function<String, T> parser) {
            String raw = values.get(name);
            if (raw == null) {
                return orElse;
            }
            try {
                return parser.apply(raw.trim());
            } catch (RuntimeException e) {
                throw new UsageException(name + ": '" + raw + "' is not valid: write " + expected, e);
            }
        }
    }
}
