package io.runnel.connectors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Snapshots of what the process holds (open file descriptors, live threads), to check that a
 * connector's {@code close} releases what its open took.
 */
public final class Resources {
    private static final Path FDS = Path.of("/proc/self/fd");

    private Resources() {
    }

    /** Open file descriptors of this JVM, or -1 where {@code /proc} is not available. */
    public static int openFileDescriptors() {
        if (!Files.isDirectory(FDS)) {
            return -1;
        }
        try (Stream<Path> fds = Files.list(FDS)) {
            return (int) fds.count() - 1; // the listing itself holds one
        } catch (IOException e) {
            return -1;
        }
    }

    public static Set<Thread> liveThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).collect(Collectors.toSet());
    }

    /**
     * Waits until the descriptor count is at most {@code before} and no thread outside
     * {@code threadsBefore} is alive (threads may take a moment to finish), then returns what is left.
     */
    public static String leaksSince(int fdsBefore, Set<Thread> threadsBefore, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        String leaks;
        do {
            leaks = describeLeaks(fdsBefore, threadsBefore);
            if (leaks.isEmpty()) {
                return leaks;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        return leaks;
    }

    private static String describeLeaks(int fdsBefore, Set<Thread> threadsBefore) {
        StringBuilder leaks = new StringBuilder();
        int fds = openFileDescriptors();
        if (fdsBefore >= 0 && fds > fdsBefore) {
            leaks.append(fds - fdsBefore).append(" file descriptors; ");
        }
        for (Thread t : liveThreads()) {
            if (!threadsBefore.contains(t) && !isJdkHousekeeping(t)) {
                leaks.append("thread '").append(t.getName()).append("'; ");
            }
        }
        return leaks.toString();
    }

    // Threads the JDK or JUnit start lazily on first use of a feature; not owned by a connector.
    private static boolean isJdkHousekeeping(Thread t) {
        String name = t.getName();
        return name.startsWith("process reaper") || name.startsWith("Common-Cleaner") || name.startsWith("Attach Listener")
                || name.startsWith("ForkJoinPool.commonPool") || name.startsWith("surefire") || name.startsWith("junit");
    }
}
