package io.runnel.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code bin/runnel} run as a real process, its stdout and stderr collected as they arrive. */
final class RunnelProcess implements AutoCloseable {
    /** The repository: the module's parent (tests run in {@code cli/}). */
    static final Path HOME = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
    static final Path SCRIPT = HOME.resolve("bin/runnel");

    private final Process process;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final List<Thread> readers = new ArrayList<>();

    private RunnelProcess(Process process) {
        this.process = process;
        readers.add(copy(process.getInputStream(), out));
        readers.add(copy(process.getErrorStream(), err));
    }

    /** Starts {@code script args} in {@code cwd} with {@code env} added to this process's environment. */
    static RunnelProcess start(Path script, Path cwd, Map<String, String> env, String... args) throws IOException {
        if (!Files.isExecutable(script)) {
            throw new IllegalStateException(script + " is not executable");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(script.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.environment().remove(LogDirOption.ENV);
        pb.environment().putAll(env);
        return new RunnelProcess(pb.start());
    }

    static RunnelProcess start(Path cwd, String... args) throws IOException {
        return start(SCRIPT, cwd, Map.of(), args);
    }

    /** Runs to the end (at most 60 s) and returns the result. */
    static CliRunner.Result run(Path cwd, Map<String, String> env, String stdin, String... args) throws Exception {
        try (RunnelProcess p = start(SCRIPT, cwd, env, args)) {
            p.writeStdin(stdin);
            p.closeStdin();
            return p.await();
        }
    }

    private static Thread copy(InputStream from, ByteArrayOutputStream to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try (from) {
                int n;
                while ((n = from.read(buf)) >= 0) {
                    synchronized (to) {
                        to.write(buf, 0, n);
                    }
                }
            } catch (IOException e) {
                // process gone
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    void writeStdin(String text) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write(text.getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    void closeStdin() throws IOException {
        process.getOutputStream().close();
    }

    String out() {
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    String err() {
        synchronized (err) {
            return err.toString(StandardCharsets.UTF_8);
        }
    }

    long pid() {
        return process.pid();
    }

    /**
     * Sends SIGTERM. Through the process handle: {@link Process#destroy()} would also close our
     * ends of its stdout and stderr at once, losing what it writes while it stops.
     */
    void terminate() {
        process.toHandle().destroy();
    }

    /** Waits for the exit (at most 60 s) and the end of its output. */
    CliRunner.Result await() throws Exception {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("bin/runnel did not exit within 60 s; stderr so far:\n" + err());
        }
        for (Thread t : readers) {
            t.join(10_000);
        }
        byte[] bytes;
        synchronized (out) {
            bytes = out.toByteArray();
        }
        return new CliRunner.Result(process.exitValue(), out(), err(), bytes);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
