package io.runnel.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Runs {@code runnel} commands in-process through the picocli entry point with captured streams. */
final class CliRunner {
    private CliRunner() {
    }

    /**
     * What a command did.
     *
     * @param exitCode its exit code
     * @param out      stdout as UTF-8
     * @param err      stderr as UTF-8
     * @param outBytes stdout as bytes
     */
    record Result(int exitCode, String out, String err, byte[] outBytes) {
        List<String> outLines() {
            return out.isEmpty() ? List.of() : Arrays.asList(out.split("\n", -1)).subList(0, out.split("\n", -1).length
                    - (out.endsWith("\n") ? 1 : 0));
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    static Result run(String... args) {
        return run(new ByteArrayInputStream(new byte[0]), Map.of(), null, args);
    }

    static Result runWithInput(String stdin, String... args) {
        return run(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), Map.of(), null, args);
    }

    static Result run(InputStream in, Map<String, String> env, Path home, String... args) {
        Captured c = new Captured(in, env, home);
        int code = Runnel.execute(c.terminal, args);
        return new Result(code, c.out(), c.err(), c.out.toByteArray());
    }

    /** A terminal with captured stdout and stderr, readable while a command runs on another thread. */
    static final class Captured {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final Terminal terminal;

        Captured() {
            this(new ByteArrayInputStream(new byte[0]), Map.of(), null);
        }

        Captured(InputStream in, Map<String, String> env, Path home) {
            terminal = new Terminal(in, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), env, home, Clock.systemUTC());
        }

        String out() {
            return out.toString(StandardCharsets.UTF_8);
        }

        String err() {
            return err.toString(StandardCharsets.UTF_8);
        }
    }
}
