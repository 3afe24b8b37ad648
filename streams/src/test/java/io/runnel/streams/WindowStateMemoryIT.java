package io.runnel.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Heap use of window state on disk: per-user session windows, and per-user tumbling windows, over
 * {@value #USERS} users, each window holding a 200-byte accumulator, all users' windows open at once
 * (three rounds of one event per user; the third comes after the gap, in the next tumbling window, so
 * the first windows fire while the second ones fill). The job runs in a child JVM: with
 * {@code withStateMemoryLimit} in {@value #DISK_HEAP} and with state on the heap in
 * {@value #HEAP_HEAP}. The child samples its live heap after full collections; both give the
 * reference's results, and the disk run's heap grows by less than half the heap run's (typically a
 * quarter; the sampled peak varies by some 10 MB from run to run).
 * {@code -Drunnel.test.windowUsers=N} sets the number of users.
 */
class WindowStateMemoryIT {

    static final int USERS = Integer.getInteger("runnel.test.windowUsers", 300_000);
    private static final String DISK_HEAP = "-Xmx96m";
    private static final String HEAP_HEAP = "-Xmx512m";
    private static final long CACHE_ENTRIES = 5000;
    private static final long GAP_MS = 3_600_000;
    private static final int ROUNDS = 3;
    private static final int SLOTS = 24;

    @TempDir
    Path dir;

    /** Event {@code i}: user {@code i % users}, in round {@code i / users}; rounds 0 and 1 form one session, round 2 starts another. */
    static long time(long i, int users) {
        long round = i / users;
        long start = round == 0 ? 0 : round == 1 ? 10_000 : 10_000 + GAP_MS + 10_000;
        return start + (i % users) / 100;
    }

    static String user(long i, int users) {
        return "user-" + i % users;
    }

    /** A fat accumulator: {@value #SLOTS} sums of event numbers, by number modulo {@value #SLOTS}. */
    static Aggregator<Long, long[], Long> slots() {
        return Aggregator.of(() -> new long[SLOTS], (a, i) -> {
            a[(int) (i % SLOTS)] += i;
            return a;
        }, (a, b) -> {
            for (int k = 0; k < SLOTS; k++) {
                a[k] += b[k];
            }
            return a;
        }, a -> (long) java.util.Arrays.hashCode(a));
    }

    static long checksum(String key, long start, long end, long value) {
        return ((key.hashCode() * 31L + start) * 31 + end) * 31 + value;
    }

    /** The results by brute force: per user, one window of rounds 0 and 1, one of round 2. */
    private static long reference(int users, boolean sessions) {
        long sum = 0;
        for (int u = 0; u < users; u++) {
            long[] first = new long[SLOTS];
            long[] second = new long[SLOTS];
            for (int r = 0; r < ROUNDS; r++) {
                long i = (long) r * users + u;
                (r < 2 ? first : second)[(int) (i % SLOTS)] += i;
            }
            String key = user(u, users);
            if (sessions) {
                sum += checksum(key, time(u, users), time(users + u, users) + GAP_MS, java.util.Arrays.hashCode(first));
                sum += checksum(key, time(2L * users + u, users), time(2L * users + u, users) + GAP_MS, java.util.Arrays.hashCode(second));
            } else {
                sum += checksum(key, 0, GAP_MS, java.util.Arrays.hashCode(first));
                sum += checksum(key, GAP_MS, 2 * GAP_MS, java.util.Arrays.hashCode(second));
            }
        }
        return sum;
    }

    @Test
    void shouldKeepSessionsOfManyUsersOnDiskInASmallHeap() throws Exception {
        check("sessions");
    }

    @Test
    void shouldKeepTumblingWindowsOfManyUsersOnDiskInASmallHeap() throws Exception {
        check("tumbling");
    }

    private void check(String kind) throws Exception {
        long expected = reference(USERS, kind.equals("sessions"));
        long[] heap = runChild(kind, "heap", 0, HEAP_HEAP);
        long[] disk = runChild(kind, "disk", CACHE_ENTRIES, DISK_HEAP);
        System.out.printf(kind + " of %d users: live heap growth with state on the heap (%s) %d MB, on disk with %d cached entries (%s) %d MB"
                + " (%d bytes per user)%n", USERS, HEAP_HEAP, heap[1] >> 20, CACHE_ENTRIES, DISK_HEAP, disk[1] >> 20, disk[1] / USERS);
        assertThat(heap[0]).as("results with state on the heap").isEqualTo(expected);
        assertThat(disk[0]).as("results with state on disk").isEqualTo(expected);
        assertThat(disk[1]).as("heap growth with state on disk, against %s MB on the heap", heap[1] >> 20).isLessThan(heap[1] / 2);
    }

    /** Runs {@link #main} in a child JVM; returns its checksum and live heap growth. */
    private long[] runChild(String kind, String name, long stateMemoryLimit, String xmx) throws Exception {
        Path log = dir.resolve(kind + "-" + name + ".log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), xmx,
                "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), WindowStateMemoryIT.class.getName(),
                kind, dir.resolve(kind + "-" + name).toString(), Long.toString(stateMemoryLimit), Integer.toString(USERS)));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("%s run finishes", name).isTrue();
        String out = Files.readString(log);
        assertThat(p.exitValue()).as("%s run exit code, log: %s", name, out.length() > 4000 ? out.substring(out.length() - 4000) : out).isZero();
        String result = out.lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElseThrow();
        String[] parts = result.split(" ");
        System.out.println(kind + " " + name + ": " + result);
        return new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[3]) - Long.parseLong(parts[2])};
    }

    /**
     * The child: arguments kind (sessions, tumbling) stateDir stateMemoryLimit (0: heap) users; prints
     * {@code RESULT checksum baselineBytes peakBytes}.
     */
    public static void main(String[] args) throws Exception {
        Windows windows = args[0].equals("sessions") ? Windows.session(Duration.ofMillis(GAP_MS)) : Windows.tumbling(Duration.ofMillis(GAP_MS));
        Path stateDir = Path.of(args[1]);
        long limit = Long.parseLong(args[2]);
        int users = Integer.parseInt(args[3]);
        HeapSampler heap = new HeapSampler(100);
        AtomicLong checksum = new AtomicLong();
        StreamJob job = StreamJob.named(args[0]);
        job.source(new DiskStateMemoryIT.Numbers((long) users * ROUNDS)).withEventTime(i -> time(i, users), Duration.ofMillis(100))
                .keyBy(i -> user(i, users)).window(windows).aggregate(slots(), StateOptions.named(args[0]))
                .map(r -> checksum(r.key(), r.windowStartMs(), r.windowEndMs(), r.value())).to(new DiskStateMemoryIT.ChecksumSink(checksum));
        JobConfig config = JobConfig.defaults().withStateDir(stateDir).withCheckpointInterval(Duration.ofSeconds(1)).withJmx(false);
        job.run(limit > 0 ? config.withStateMemoryLimit(limit) : config);
        heap.close();
        System.out.println("RESULT " + checksum.get() + " " + heap.baselineBytes() + " " + heap.peakBytes());
        System.exit(0);
    }
}
