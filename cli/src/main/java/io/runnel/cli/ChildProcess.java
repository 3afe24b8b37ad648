package io.runnel.cli;

import io.runnel.log.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child process run in the foreground of a command ({@code run}, {@code bench}): its output is
 * streamed to the terminal as it comes (inherited when the terminal is the process's own, copied
 * otherwise), SIGTERM/Ctrl-C reaching this JVM is forwarded to it as SIGTERM, and this JVM exits
 * with the child's exit code. Not thread-safe beyond what {@link #runToExit} does.
 */
final class ChildProcess {
    private final Process process;
    private final List<Thread> pumps = new ArrayList<>();

    private ChildProcess(Process process) {
        this.process = process;
    }

    /** The {@code java} launcher of the running JVM. */
    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Starts {@code command}, waits for it and returns its exit code. A signal that stops this JVM
     * meanwhile is passed on as SIGTERM; the child gets {@code stopTimeout} to exit (a job takes its
     * final checkpoint then) before it is killed, and this JVM then exits with the child's code.
     */
    static int runToExit(List<String> command, Terminal terminal, Duration stopTimeout) throws IOException {
        ChildProcess child = start(command, terminal);
        ShutdownSignal signal = ShutdownSignal.install(() -> child.stopAndHalt(stopTimeout, terminal), 0);
        try {
            return child.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            child.process.toHandle().destroy();
            throw CliException.failure("interrupted while waiting for " + command.get(0));
        } finally {
            signal.close();
        }
    }

    private static ChildProcess start(List<String> command, Terminal terminal) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        boolean ownIn = terminal.in() == System.in;
        boolean ownOut = terminal.out() == System.out;
        boolean ownErr = terminal.err() == System.err;
        pb.redirectInput(ownIn ? Redirect.INHERIT : Redirect.PIPE);
        pb.redirectOutput(ownOut ? Redirect.INHERIT : Redirect.PIPE);
        pb.redirectError(ownErr ? Redirect.INHERIT : Redirect.PIPE);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw CliException.failure("cannot start " + command.get(0) + ": " + e.getMessage());
        }
        ChildProcess child = new ChildProcess(p);
        if (!ownIn) {
            child.pump("stdin", terminal.in(), p.getOutputStream(), true);
        }
        if (!ownOut) {
            child.pump("stdout", p.getInputStream(), terminal.out(), false);
        }
        if (!ownErr) {
            child.pump("stderr", p.getErrorStream(), terminal.err(), false);
        }
        return child;
    }

    private void pump(String name, InputStream from, OutputStream to, boolean closeTarget) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try (from) {
                int n;
                while ((n = from.read(buf)) >= 0) {
                    to.write(buf, 0, n);
                    to.flush();
                }
            } catch (IOException e) {
                // The child went away (its stdin closed) or our stream closed: nothing left to copy.
            } finally {
                if (closeTarget) {
                    try {
                        to.close();
                    } catch (IOException e) {
                        // already closed
                    }
                }
            }
        }, "runnel-cli-child-" + name);
        t.setDaemon(true);
        t.start();
        if (!closeTarget) {
            pumps.add(t); // output pumps are joined so nothing the child wrote is lost
        }
    }

    private int waitFor() throws InterruptedException {
        int code = process.waitFor();
        for (Thread t : pumps) {
            t.join();
        }
        return code;
    }

    /** In the shutdown hook: SIGTERM, grace, SIGKILL; then exit this JVM with the child's code. */
    private void stopAndHalt(Duration stopTimeout, Terminal terminal) {
        // SIGTERM: the child's shutdown hooks run (a job's final checkpoint). Through the handle, since
        // Process.destroy() would also close the pipes and lose what the child prints while stopping.
        process.toHandle().destroy();
        int code;
        try {
            if (!process.waitFor(stopTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                terminal.err().println("runnel: the child did not stop within " + Durations.format(stopTimeout)
                        + " of SIGTERM: killing it");
                process.destroyForcibly();
            }
            code = process.waitFor();
            for (Thread t : pumps) {
                t.join(1000);
            }
        } catch (InterruptedException e) {
            code = ExitCode.FAILURE;
        }
        PrintStream out = terminal.out();
        out.flush();
        terminal.err().flush();
        // A JVM stopped by a signal would exit 128+signal; the child's code is what the caller asked for.
        Runtime.getRuntime().halt(code);
    }
}
