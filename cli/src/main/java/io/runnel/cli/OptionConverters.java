package io.runnel.cli;

import io.runnel.log.CleanupPolicy;
import io.runnel.log.Compression;
import io.runnel.log.Durations;
import io.runnel.log.internal.Names;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Picocli converters for option values. Each one checks the value's syntax and range while the
 * command line is parsed, before anything else happens, and its message names the accepted form
 * (picocli prefixes the option name).
 */
final class OptionConverters {
    private OptionConverters() {
    }

    /** A positive {@link Durations}. */
    static final class PositiveDuration implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Duration d = parse(() -> Durations.parse(value));
            if (d.isZero()) {
                throw new TypeConversionException("'" + value + "' must be more than zero: write "
                        + Durations.SYNTAX);
            }
            return d;
        }
    }

    /** A size in bytes, see {@link ByteSize}. */
    static final class Bytes implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return parse(() -> ByteSize.parse(value));
        }
    }

    /**
     * A topic or group name as the log accepts it (checked by the log's own rule, so a bad name is a
     * usage error found before the log directory is touched).
     */
    static final class Name implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                Names.checkName("name", value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
            return value;
        }
    }

    /** A segment size: 1KiB up to 2GiB - 1 (segment positions are ints). */
    static final class SegmentSize implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            long n = parse(() -> ByteSize.parse(value));
            if (n < 1024 || n > Integer.MAX_VALUE) {
                throw new TypeConversionException("'" + value + "' is not a segment size: write 1KiB up to 2047MiB");
            }
            return n;
        }
    }

    /** A time, see {@link PointInTime}. */
    static final class Time implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            return parse(() -> PointInTime.parse(value));
        }
    }

    /** A topic's partition count, 1 to 10000 (the log's limit). */
    static final class PartitionCount implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return (int) integer(value, 1, 10_000, "is not a partition count: write a whole number from 1 to 10000");
        }
    }

    /** A partition number, 0 or more. */
    static final class PartitionNumber implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return (int) integer(value, 0, Integer.MAX_VALUE, "is not a partition number: write a whole number from"
                    + " 0 (partitions are numbered from 0)");
        }
    }

    /** An offset, 0 or more. */
    static final class Offset implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return integer(value, 0, Long.MAX_VALUE, "is not an offset: write a whole number from 0");
        }
    }

    /** A count of 1 or more. */
    static final class PositiveCount implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return integer(value, 1, Long.MAX_VALUE, "must be a whole number from 1");
        }
    }

    /** A job's parallelism, 1 to 128 (the streams runtime's key groups). */
    static final class Parallelism implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return (int) integer(value, 1, 128, "is not a parallelism: write a whole number from 1 to 128");
        }
    }

    /** {@code delete} or {@code compact}. */
    static final class Cleanup implements ITypeConverter<CleanupPolicy> {
        @Override
        public CleanupPolicy convert(String value) {
            return choice(value, "cleanup policy", CleanupPolicy.values());
        }
    }

    /** {@code none}, {@code lz4} or {@code zstd}. */
    static final class CompressionName implements ITypeConverter<Compression> {
        @Override
        public Compression convert(String value) {
            return choice(value, "compression", Compression.values());
        }
    }

    /** {@code value}, {@code key-value} or {@code json}. */
    static final class Format implements ITypeConverter<RecordFormat> {
        @Override
        public RecordFormat convert(String value) {
            return choice(value, "format", RecordFormat.values());
        }
    }

    /** A separator of at least one character; {@code \t} and {@code \n}-style escapes are understood. */
    static final class Separator implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            String s = value.replace("\\t", "\t").replace("\\n", "\n");
            if (s.isEmpty()) {
                throw new TypeConversionException("the separator is empty: give at least one character (default: a"
                        + " tab, written \\t)");
            }
            return s;
        }
    }

    /** How an enum constant is written on the command line: {@code KEY_VALUE} is {@code key-value}. */
    static String name(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static <E extends Enum<E>> E choice(String value, String what, E[] constants) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        List<String> names = new ArrayList<>();
        for (E c : constants) {
            if (name(c).equals(v)) {
                return c;
            }
            names.add(name(c));
        }
        throw new TypeConversionException("'" + value + "' is not a " + what + ": write "
                + String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1));
    }

    /** {@code value} as a whole number in [min, max], or a failure "'value' " + {@code problem}. */
    private static long integer(String value, long min, long max, String problem) {
        long n;
        try {
            n = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' " + problem);
        }
        if (n < min || n > max) {
            throw new TypeConversionException("'" + value + "' " + problem);
        }
        return n;
    }

    private static <T> T parse(java.util.function.Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
