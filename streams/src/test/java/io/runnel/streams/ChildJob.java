package io.runnel.streams;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Starts {@link CrashJob} in a child JVM and watches its state directory. */
final class ChildJob {

    private ChildJob() {
    }

    static Process start(Path state, Path out, int parallelism, long perSplit, long rate, String... jvmProps) throws IOException {
        return start(state, out, parallelism, perSplit, rate, 0, jvmProps);
    }

    /** {@code stateMemoryLimit}: entries of keyed state (process, windows, sessions) per task on the heap, the rest on disk; 0: all on the heap. */
    static Process start(Path state, Path out, int parallelism, long perSplit, long rate, long stateMemoryLimit, String... jvmProps)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.add("-XX:+UseSerialGC");
        cmd.addAll(List.of(jvmProps));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(CrashJob.class.getName());
        cmd.addAll(List.of(state.toString(), out.toString(), Integer.toString(parallelism), Long.toString(perSplit), Long.toString(rate),
                Long.toString(stateMemoryLimit)));
        Files.createDirectories(out);
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out.resolve("child.log").toFile())).start();
    }

    /** The child's output so far, for failure messages. */
    static String log(Path out) {
        try {
            String s = Files.readString(out.resolve("child.log"));
            return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** The id of the newest complete checkpoint manifest, 0 if none. */
    static long latestCheckpoint(Path state) throws IOException {
        Path dir = state.resolve("checkpoints");
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("checkpoint-") && !n.endsWith(".tmp"))
                    .mapToLong(n -> Long.parseLong(n.substring("checkpoint-".length()))).max().orElse(0);
        }
    }
}
