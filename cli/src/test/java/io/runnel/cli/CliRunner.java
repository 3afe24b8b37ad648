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
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        int code = Runnel.execute(new Terminal(in, o, e, env, home, Clock.systemUTC()), args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                out.toByteArray());
    }
}
