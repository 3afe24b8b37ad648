package io.runnel.benchmarks;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One measured result: the {@code RESULT} line of DESIGN.md section 7.
 *
 * <p>Line layout: {@code RESULT name=.. system=.. variant=.. [configuration fields] records=..
 * seconds=.. records_per_s=.. [mb_per_s=..] [p50_us=.. p99_us=.. p999_us=..] [extra fields]}.
 * Values never contain spaces. Immutable.
 */
public final class BenchResult {

    private static final Pattern FIELD = Pattern.compile("([a-z0-9_]+)=(\\S*)");

    private final Map<String, String> fields;

    private BenchResult(Map<String, String> fields) {
        this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** Starts a result for {@code scenario}, {@code system} and {@code variant}. */
    public static Builder of(String scenario, String system, String variant) {
        return new Builder(scenario, system, variant);
    }

    /** Parses a {@code RESULT ...} line written by {@link #line()}. */
    public static BenchResult parse(String line) {
        if (!line.startsWith("RESULT ")) {
            throw new IllegalArgumentException("not a RESULT line: '" + line + "'");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher m = FIELD.matcher(line.substring("RESULT ".length()));
        while (m.find()) {
            fields.put(m.group(1), m.group(2));
        }
        for (String required : new String[] {"name", "system", "variant", "records", "seconds", "records_per_s"}) {
            if (!fields.containsKey(required)) {
                throw new IllegalArgumentException("RESULT line lacks " + required + "=: '" + line + "'");
            }
        }
        return new BenchResult(fields);
    }

    public String name() {
        return fields.get("name");
    }

    public String system() {
        return fields.get("system");
    }

    public String variant() {
        return fields.get("variant");
    }

    public double recordsPerSecond() {
        return Double.parseDouble(fields.get("records_per_s"));
    }

    /** A field's value, or null when the line has no such field. */
    public String field(String key) {
        return fields.get(key);
    }

    /** True when this is a latency result (has percentiles). */
    public boolean isLatency() {
        return fields.containsKey("p99_us");
    }

    /** The line as printed: {@code RESULT name=... ...}. */
    public String line() {
        StringBuilder sb = new StringBuilder("RESULT");
        fields.forEach((key, value) -> sb.append(' ').append(key).append('=').append(value));
        return sb.toString();
    }

    @Override
    public String toString() {
        return line();
    }

    /** Collects the fields in the documented order. Not thread-safe. */
    public static final class Builder {
        private final Map<String, String> head = new LinkedHashMap<>();
        private final Map<String, String> config = new LinkedHashMap<>();
        private final Map<String, String> tail = new LinkedHashMap<>();
        private long records = -1;
        private double seconds = -1;

        private Builder(String scenario, String system, String variant) {
            head.put("name", token("name", scenario));
            head.put("system", token("system", system));
            head.put("variant", token("variant", variant));
        }

        /** A configuration field ({@code durability}, {@code threads}, {@code acks}, ...). */
        public Builder config(String key, Object value) {
            config.put(key, token(key, String.valueOf(value)));
            return this;
        }

        /** Records processed and the seconds they took; records_per_s follows. */
        public Builder measured(long records, double seconds) {
            if (records < 0 || !(seconds > 0)) {
                throw new IllegalArgumentException(
                        "records must be >= 0 and seconds > 0, got records=" + records + " seconds=" + seconds);
            }
            this.records = records;
            this.seconds = seconds;
            return this;
        }

        /** Adds mb_per_s from the payload bytes moved (10^6 bytes per MB). */
        public Builder bytes(long payloadBytes) {
            checkMeasured();
            tail.put("mb_per_s", String.format(Locale.ROOT, "%.1f", payloadBytes / seconds / 1e6));
            return this;
        }

        /** Adds the latency percentiles, in microseconds. */
        public Builder latency(long p50Us, long p99Us, long p999Us) {
            tail.put("p50_us", Long.toString(p50Us));
            tail.put("p99_us", Long.toString(p99Us));
            tail.put("p999_us", Long.toString(p999Us));
            return this;
        }

        /** Any further informative field, printed last. */
        public Builder extra(String key, Object value) {
            tail.put(key, token(key, String.valueOf(value)));
            return this;
        }

        public BenchResult build() {
            checkMeasured();
            Map<String, String> all = new LinkedHashMap<>(head);
            all.putAll(config);
            all.put("records", Long.toString(records));
            all.put("seconds", String.format(Locale.ROOT, "%.3f", seconds));
            all.put("records_per_s", Long.toString(Math.round(records / seconds)));
            // mb_per_s and latency come first among the tail fields, as DESIGN.md lists them.
            for (String key : new String[] {"mb_per_s", "p50_us", "p99_us", "p999_us"}) {
                if (tail.containsKey(key)) {
                    all.put(key, tail.get(key));
                }
            }
            tail.forEach(all::putIfAbsent);
            return new BenchResult(all);
        }

        private void checkMeasured() {
            if (records < 0) {
                throw new IllegalStateException("call measured(records, seconds) first");
            }
        }

        private static String token(String key, String value) {
            if (value.isEmpty() || value.chars().anyMatch(Character::isWhitespace) || value.contains("=")) {
                throw new IllegalArgumentException(
                        "RESULT field " + key + " must be one non-empty word without '=', got '" + value + "'");
            }
            return value;
        }
    }
}
