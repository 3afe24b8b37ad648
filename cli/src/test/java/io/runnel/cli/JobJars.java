package io.runnel.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Tiny job jars compiled from source inside a test, run by {@code runnel run} as real child JVMs. */
final class JobJars {
    private JobJars() {
    }

    /**
     * A main that prints the {@code runnel.job.*} properties and its arguments, writes "written"
     * to the file {@code args[0]}, and exits with code {@code args[1]}.
     */
    static final String PRINTING_JOB = """
            package jobs;
            import java.nio.file.Files;
            import java.nio.file.Path;
            public final class PrintingJob {
                public static void main(String[] args) throws Exception {
                    System.out.println("stateDir=" + System.getProperty("runnel.job.stateDir"));
                    System.out.println("checkpointInterval=" + System.getProperty("runnel.job.checkpointInterval"));
                    System.out.println("parallelism=" + System.getProperty("runnel.job.parallelism"));
                    System.out.println("args=" + String.join(",", args));
                    System.err.println("a line on stderr");
                    Files.writeString(Path.of(args[0]), "written");
                    System.exit(Integer.parseInt(args[1]));
                }
            }
            """;

    /**
     * A main that writes its pid to {@code args[0]/started} and waits; on SIGTERM its shutdown hook
     * writes "SIGTERM" to {@code args[0]/stopped} and halts with code 7 (as a job's hook would
     * take a final checkpoint and exit).
     */
    static final String WAITING_JOB = """
            package jobs;
            import java.nio.file.Files;
            import java.nio.file.Path;
            public final class WaitingJob {
                public static void main(String[] args) throws Exception {
                    Path dir = Path.of(args[0]);
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                        try {
                            Files.writeString(dir.resolve("stopped.tmp"), "SIGTERM");
                            Files.move(dir.resolve("stopped.tmp"), dir.resolve("stopped"));
                        } catch (Exception e) {
                            e.printStackTrace();
                        }
                        Runtime.getRuntime().halt(7);
                    }));
                    Files.writeString(dir.resolve("started.tmp"), Long.toString(ProcessHandle.current().pid()));
                    Files.move(dir.resolve("started.tmp"), dir.resolve("started"));
                    System.out.println("waiting for SIGTERM");
                    Thread.currentThread().join();
                }
            }
            """;

    /**
     * Compiles {@code source} (one public class in package {@code jobs}) into {@code dir/name.jar},
     * with {@code Main-Class} in the manifest unless {@code mainClass} is null.
     */
    static Path build(Path dir, String name, String className, String source, String mainClass) throws IOException {
        Path src = dir.resolve(name + "-src/jobs/" + className + ".java");
        Path classes = dir.resolve(name + "-classes");
        Files.createDirectories(src.getParent());
        Files.createDirectories(classes);
        Files.writeString(src, source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("tests need a JDK (javax.tools compiler), not a JRE");
        }
        int rc = javac.run(null, null, null, "-d", classes.toString(), src.toString());
        if (rc != 0) {
            throw new IllegalStateException("javac failed for " + src);
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (mainClass != null) {
            manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
        }
        Path jar = dir.resolve(name + ".jar");
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(classes)) {
            s.filter(Files::isRegularFile).forEach(files::add);
        }
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(os, manifest)) {
            for (Path f : files) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(f));
                out.closeEntry();
            }
        }
        return jar;
    }

    static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
