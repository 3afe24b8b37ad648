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
        Set<String> fds = openFiles();
        return fds == null ? -1 : fds.size();
    }

    /**
     * The open file descriptors as "number -> target" (e.g. {@code "42 -> /tmp/x/part.jsonl"}), or
     * null where {@code /proc} is not available. Comparing sets, not counts, keeps a descriptor that
     * something else closed meanwhile from hiding one that leaked.
     */
    public static Set<String> openFiles() {
        if (!Files.isDirectory(FDS)) {
            return null;
        }
        try (Stream<Path> fds = Files.list(FDS)) {
            Set<String> open = new java.util.HashSet<>();
            for (Path fd : fds.toList()) {
                try {
                    open.add(fd.getFileName() + " -> " + Files.readSymbolicLink(fd));
                } catch (IOException gone) {
                    // closed while listing (the listing's own descriptor, or another thread's)
                }
            }
            return open;
        } catch (IOException e) {
            return null;
        }
    }

    public static Set<Thread> liveThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).collect(Collectors.toSet());
    }

    /**
     * Waits until no descriptor outside {@code fdsBefore} is open and no thread outside
     * {@code threadsBefore} is alive (threads may take a moment to finish), then returns what is left.
     */
    public static String leaksSince(Set<String> fdsBefore, Set<Thread> threadsBefore, Duration patience) throws InterruptedException {
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

    private static String describeLeaks(Set<String> fdsBefore, Set<Thread> threadsBefore) {
        StringBuilder leaks = new StringBuilder();
        Set<String> now = openFiles();
        if (fdsBefore != null && now != null) {
            for (String fd : now) {
                if (!fdsBefore.contains(fd) && !isJdkHousekeeping(fd)) {
                    leaks.append("file descriptors: ").append(fd).append("; ");
                }
            }
        }
        for (Thread t : liveThreads()) {
            if (!threadsBefore.contains(t) && !isJdkHousekeeping(t)) {
                leaks.append("thread '").append(t.getName()).append("'; ");
            }
        }
        return leaks.toString();
    }

    // Jars and JDK modules the class loader opens on first use; not owned by a connector.
    private static boolean isJdkHousekeeping(String fd) {
        return fd.endsWith(".jar") || fd.contains("/lib/modules") || fd.contains("/proc/");
    }

    // Threads the JDK or JUnit start lazily on first use of a feature; not owned by a connector.
    private static boolean isJdkHousekeeping(Thread t) {
        String name = t.getName();
        return name.startsWith("process reaper") || name.startsWith("Common-Cleaner") || name.startsWith("Attach Listener")
                || name.startsWith("ForkJoinPool.commonPool") || name.startsWith("surefire") || name.startsWith("junit");
    }
}
