package io.runnel.cli;

/**
 * Sizes in bytes as written on the command line: a plain number of bytes ({@code 1048576}) or a
 * number with a binary unit ({@code 512KiB}, {@code 64MiB}, {@code 1GiB}, {@code 2TiB}; {@code B}
 * for bytes). Stateless; thread-safe.
 */
final class ByteSize {
    private ByteSize() {
    }

    static final String SYNTAX = "a number of bytes, optionally with a unit B, KiB, MiB, GiB or TiB, like 1048576,"
            + " 512KiB or 1GiB";

    /**
     * Parses {@code text} into bytes.
     *
     * @throws IllegalArgumentException naming the text and the syntax
     */
    static long parse(String text) {
        String s = text == null ? "" : text.trim();
        int i = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        if (i == 0 || i > 18) {
            throw invalid(text);
        }
        long n = Long.parseLong(s.substring(0, i));
        int shift = switch (s.substring(i)) {
            case "", "B" -> 0;
            case "KiB" -> 10;
            case "MiB" -> 20;
            case "GiB" -> 30;
            case "TiB" -> 40;
            default -> throw invalid(text);
        };
        if (n > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
        return n << shift;
    }

    /** Human form for tables: {@code 0 B}, {@code 1023 B}, {@code 12.3 KiB}, {@code 256.0 MiB}. */
    static String format(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("'" + text + "' is not a size: write " + SYNTAX);
    }
}
