package io.runnel.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * What a command talks to: stdin, stdout (data), stderr (messages and progress), the environment,
 * the Runnel home (the repository {@code bin/runnel} lives in, or null when unknown) and a clock.
 * Injected so tests run commands in-process with captured streams.
 *
 * @param in    standard input (lines for {@code produce})
 * @param out   standard output: data only (records, tables, dumps)
 * @param err   standard error: notes, progress, errors
 * @param env   environment variables ({@code RUNNEL_LOG_DIR})
 * @param home  Runnel home: {@code benchmarks/target/benchmarks.jar} is found under it; may be null
 * @param clock time for progress lines
 */
public record Terminal(InputStream in, PrintStream out, PrintStream err, Map<String, String> env, Path home,
        Clock clock) {

    /** System property {@code bin/runnel} sets to the repository it lives in. */
    public static final String HOME_PROPERTY = "runnel.home";

    public Terminal {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(clock, "clock");
    }

    /** The process's own streams and environment; home from {@value #HOME_PROPERTY} or the jar's location. */
    public static Terminal system() {
        return new Terminal(System.in, System.out, System.err, System.getenv(), systemHome(), Clock.systemUTC());
    }

    private static Path systemHome() {
        String h = System.getProperty(HOME_PROPERTY);
        if (h != null && !h.isBlank()) {
            return Path.of(h).toAbsolutePath();
        }
        // Run as `java -jar <home>/cli/target/runnel-cli.jar`: home is three levels up.
        try {
            Path jar = Path.of(Terminal.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path target = jar.getParent();
            if (jar.toString().endsWith(".jar") && target != null && target.getParent() != null) {
                return target.getParent().getParent();
            }
        } catch (Exception e) {
            // No code source (unusual class loader): bench then says it cannot find the home.
        }
        return null;
    }
}
