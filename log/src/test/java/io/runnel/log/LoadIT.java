package io.runnel.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.log.testing.TestSettings;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Load (RELIABILITY.md): 8 producers x 10^6 records of 100 B under FSYNC while 4 consumers tail,
 * in a child JVM with {@code -Xmx512m}. Pass: no OutOfMemoryError, every consumer reads every
 * record exactly once in order (0 lost, 0 duplicated), heap after a full GC and file descriptors
 * bounded. Sizes: {@code -Drunnel.test.load.records} (per producer), {@code -Drunnel.test.load.producers}.
 */
class LoadIT {
    @TempDir
    Path tmp;

    @Test
    void shouldCarryTheLoadInASmallHeapLosingNothing() throws Exception {
        int producers = TestSettings.count("runnel.test.load.producers", 8);
        int records = TestSettings.count("runnel.test.load.records", 1_000_000);
        int consumers = 4;
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process child = new ProcessBuilder("java", "-Xmx512m", "-XX:+ExitOnOutOfMemoryError", "-cp", cp,
                LoadChild.class.getName(), tmp.resolve("log").toString(), String.valueOf(producers),
                String.valueOf(records), String.valueOf(consumers)).redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                output.add(line);
            }
        }
        assertThat(child.waitFor(10, TimeUnit.MINUTES)).as("child finished").isTrue();
        String result = output.stream().filter(l -> l.startsWith("LOAD ")).findFirst().orElse(null);
        assertThat(child.exitValue()).as("child exit code; output:%n%s", String.join("\n", output)).isZero();
        assertThat(result).as("LOAD line in:%n%s", String.join("\n", output)).isNotNull();
        System.out.println(result);
        Map<String, String> f = new HashMap<>();
        for (String kv : result.substring(5).split(" ")) {
            f.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        }
        long total = (long) producers * records;
        assertThat(f.get("problems")).isEqualTo("none");
        assertThat(Long.parseLong(f.get("appended"))).isEqualTo(total);
        for (String read : f.get("read").split(",")) {
            assertThat(Long.parseLong(read)).isEqualTo(total);
        }
        // The checkers' bitsets hold 1 MB; the log holds no records on the heap.
        assertThat(Long.parseLong(f.get("heap_after_gc_mb"))).isLessThan(96);
        // 6 segments with their index files, 4 consumers x 6 readers, the lock, the JVM's own.
        assertThat(Long.parseLong(f.get("max_fds"))).isLessThan(200);
        assertThat(Long.parseLong(f.get("max_threads"))).isLessThan(40);
    }
}
