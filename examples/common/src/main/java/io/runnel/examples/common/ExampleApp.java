package io.runnel.examples.common;

import io.runnel.connectors.http.HttpIngest;
import io.runnel.connectors.log.LogSource;
import io.runnel.log.Log;
import io.runnel.log.LogLockedException;
import io.runnel.log.TopicConfig;
import io.runnel.streams.BadDataPolicy;
import io.runnel.streams.JobConfig;
import io.runnel.streams.JobFailedException;
import io.runnel.streams.StreamJob;
import io.runnel.streams.connect.Source;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;

/**
 * The command line and the run of an example application; the applications say what is theirs
 * (flags, parsing, the job's plan, the summary). A run:
 * <ol>
 *   <li>checks every flag ({@link ExitCodes#USAGE} on a wrong one, before anything else happens);</li>
 *   <li>opens the log in {@code <state-dir>/log} and appends the input's lines (the file, or the
 *       generated demo) to its topic, resuming where an earlier run stopped ({@link InputTopic});</li>
 *   <li>runs the job over the topic (bounded: up to the end offsets it finds when it first starts),
 *       checkpointing into the state directory, so a killed run resumes from its last checkpoint and a
 *       finished one does nothing when run again;</li>
 *   <li>gathers the dead letters into one file and prints the summary.</li>
 * </ol>
 * With {@code --http} the job instead reads the topic an HTTP endpoint appends to, until SIGTERM or
 * Ctrl-C. Either way a signal stops the job after a final checkpoint, and the next run resumes.
 * A run uses the calling thread; one run at a time per state directory (the log's lock sees to it).
 *
 * @param <T> the event type
 */
public abstract class ExampleApp<T> {

    /** Checkpoint interval unless {@code runnel.job.checkpointInterval} says otherwise: a kill replays at most this much. */
    public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(2);
    /** The topic the HTTP endpoint appends to. */
    public static final String HTTP_TOPIC = "http-events";
    /** Default {@code --out-of-orderness}. */
    public static final Duration DEFAULT_OUT_OF_ORDERNESS = Duration.ofSeconds(5);

    private final String name;

    /** An example called {@code name} ({@code web-activity}): its jar, state directory and database are named after it. */
    protected ExampleApp(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /** What the example computes, for {@code --help}. */
    protected abstract String description();

    /** Adds the example's own flags. */
    protected void addFlags(Flags flags) {
    }

    /** Checks the example's own flags; throws {@link UsageException} naming a wrong one. */
    protected void checkFlags(Flags.Parsed flags) {
    }

    /** How an input line becomes an event. */
    protected abstract LineParser<T> parser();

    /** The input without {@code --input}: a realistic, deterministic, bounded generated one. */
    protected abstract LineInput demoInput();

    /**
     * Adds the example's plan to {@code job}: from {@code events} to its tables at
     * {@link ExampleOptions#jdbcUrl()}, and everything it cannot use to sinks of {@code deadLetters};
     * anything it prints while running goes to {@code out}.
     */
    protected abstract void plan(StreamJob job, Source<T> events, ExampleOptions options, DeadLetterFile deadLetters,
                                 PrintStream out);

    /**
     * Builds the example's sinks for {@code options} and drops them, so that a bad option (the JDBC
     * url) is reported before the run creates anything.
     *
     * @throws IllegalArgumentException (the JDBC sink's {@code InvalidConfigException}) naming what is wrong
     */
    protected abstract void checkSinks(ExampleOptions options);

    /** Prints the summary of the results at {@link ExampleOptions#jdbcUrl()}. */
    protected abstract void printSummary(ExampleOptions options, PrintStream out) throws Exception;

    /** The example's name. */
    public final String name() {
        return name;
    }

    /** For {@code main}: runs and exits with the code (unless the JVM is already shutting down after SIGTERM). */
    public final void runAndExit(String[] args) {
        Outcome outcome = run(args, System.out, System.err);
        if (!outcome.stoppedBySignal()) {
            System.exit(outcome.exitCode());
        }
        // a shutdown is under way (SIGTERM): the JVM exits when its hooks are done, exiting here would block
    }

    /** What a run ended with. */
    public record Outcome(int exitCode, boolean stoppedBySignal) {
    }

    /** Runs with {@code args}, printing to {@code out} (progress, summary) and {@code err} (problems). */
    public final Outcome run(String[] args, PrintStream out, PrintStream err) {
        ExampleOptions options;
        try {
            options = options(args);
        } catch (UsageException e) {
            err.println(name + ": " + e.getMessage());
            return new Outcome(ExitCodes.USAGE, false);
        }
        if (options == null) {
            out.print(flags().usage());
            return new Outcome(ExitCodes.OK, false);
        }
        try {
            return execute(options, out, err);
        } catch (UsageException e) {
            err.println(name + ": " + e.getMessage());
            return new Outcome(ExitCodes.USAGE, false);
        } catch (StateMismatchException e) {
            err.println(name + ": " + e.getMessage());
            return new Outcome(ExitCodes.STATE_MISMATCH, false);
        } catch (LogLockedException e) {
            err.println(name + ": another process is using " + options.stateDir() + " (" + e.getMessage()
                    + "): wait for it to finish, or use another --state-dir");
            return new Outcome(ExitCodes.FAILED, false);
        } catch (JobFailedException e) {
            err.println(name + ": the job failed: " + e.getMessage());
            return new Outcome(ExitCodes.FAILED, false);
        } catch (Exception e) {
            err.println(name + ": failed: " + e);
            return new Outcome(ExitCodes.FAILED, false);
        }
    }

    private Flags flags() {
        Flags flags = Flags.of("java -jar " + name + ".jar", description() + "\n" + ExitCodes.HELP)
                .flag("--input", "<events.jsonl>", "read the events from this file, one JSON object per line\n"
                        + "(default: a generated demo input)")
                .flag("--http", "<port>", "instead, serve POST /events on 127.0.0.1:<port> and run until stopped\n"
                        + "(SIGTERM or Ctrl-C: final checkpoint, then exit 143 or 130)")
                .flag("--jdbc", "<url>", "where the result tables go (default: jdbc:sqlite:" + name + ".db)\n"
                        + "also jdbc:postgresql://<host>:<port>/<db>?user=..&password=.. or jdbc:h2:<path>")
                .flag("--out-of-orderness", "<duration>", "how far out of order events may come, like 500ms, 5s, 1m (default: 5s)")
                .flag("--state-dir", "<dir>", "the log, checkpoints and dead letters (default: " + name + "-state;\n"
                        + "runnel.job.stateDir if set); a rerun with the same dir resumes");
        addFlags(flags);
        return flags;
    }

    /** The checked options, or {@code null} for {@code --help}. */
    private ExampleOptions options(String[] args) {
        Flags.Parsed parsed = flags().parse(args);
        if (parsed.help()) {
            return null;
        }
        Path input = parsed.path("--input", null);
        Integer port = parsed.port("--http");
        String jdbc = parsed.string("--jdbc", "jdbc:sqlite:" + name + ".db");
        Duration outOfOrderness = parsed.duration("--out-of-orderness", DEFAULT_OUT_OF_ORDERNESS);
        String defaultStateDir = System.getProperty("runnel.job.stateDir", name + "-state");
        Path stateDir = parsed.path("--state-dir", Path.of(defaultStateDir)).toAbsolutePath().normalize();
        checkFlags(parsed);
        if (input != null && port != null) {
            throw new UsageException("--input and --http exclude each other: give one (or neither, for the demo)");
        }
        if (!jdbc.startsWith("jdbc:")) {
            throw new UsageException("--jdbc: '" + jdbc + "' is not a JDBC url: write jdbc:sqlite:<file>, "
                    + "jdbc:postgresql://<host>:<port>/<db> or jdbc:h2:<path>");
        }
        if (input != null && !Files.isRegularFile(input)) {
            throw new UsageException("--input: there is no file " + input.toAbsolutePath() + " (check the path)");
        }
        if (input != null && !Files.isReadable(input)) {
            throw new UsageException("--input: " + input.toAbsolutePath() + " is not readable (check its permissions)");
        }
        if (Files.exists(stateDir) && !Files.isDirectory(stateDir)) {
            throw new UsageException("--state-dir: " + stateDir + " is a file, not a directory (choose a directory)");
        }
        return new ExampleOptions(input, port, jdbc, outOfOrderness, stateDir, parsed);
    }

    private Outcome execute(ExampleOptions options, PrintStream out, PrintStream err) throws Exception {
        try {
            checkSinks(options); // a bad --jdbc is a usage error, found before anything exists on disk
        } catch (IllegalArgumentException e) {
            throw new UsageException("--jdbc: " + e.getMessage(), e);
        }
        Files.createDirectories(options.stateDir());
        try (Log log = Log.open(options.stateDir().resolve("log"))) {
            return options.bounded() ? runBounded(log, options, out, err) : serveHttp(log, options, out, err);
        }
    }

    /** The file or the demo: through the input topic into the job, to the end. */
    private Outcome runBounded(Log log, ExampleOptions options, PrintStream out, PrintStream err) throws Exception {
        long startNanos = System.nanoTime();
        LineInput input = options.input() != null ? LineInput.file(options.input()) : demoInput();
        out.println(name + ": reading " + (options.input() != null ? options.input() : "the demo input (" + input.name() + ")")
                + " into the log in " + log.directory());
        InputTopic.Ingested ingested = new InputTopic(log, options.stateDir()).ingest(input);
        out.printf("%s: %,d lines in the log (%,d appended now)%n", name, ingested.lines(), ingested.appended());

        DeadLetterFile deadLetters = new DeadLetterFile(options.stateDir());
        StreamJob job = StreamJob.named(name);
        // bounded: the job reads each partition up to the end offset it had when the job first started
        plan(job, ParsedSource.of(LogSource.of(log, InputTopic.TOPIC, InputLine.SERDE).bounded(), input.name(), parser()),
                options, deadLetters, out);
        out.println(name + ": running the job: state in " + options.stateDir() + ", results in " + options.jdbcUrl());
        try (JobRun run = JobRun.start(job, jobConfig(options))) {
            if (!run.await()) {
                err.println(name + ": stopped after a final checkpoint; run again with the same arguments to resume");
                return new Outcome(ExitCodes.FAILED, true);
            }
            long dead = deadLetters.publish();
            out.printf("%s: done in %.1f s: %,d lines, %,d dead letters%s%n%n", name, (System.nanoTime() - startNanos) / 1e9,
                    ingested.lines(), dead, dead == 0 ? "" : " (see " + deadLetters.file() + ")");
            printSummary(options, out);
        }
        return new Outcome(ExitCodes.OK, false);
    }

    /** {@code --http}: events posted to the endpoint go to a topic the job reads, until SIGTERM or Ctrl-C. */
    private Outcome serveHttp(Log log, ExampleOptions options, PrintStream out, PrintStream err) throws Exception {
        InputTopic.claim(options.stateDir(), "http", "events posted to the HTTP ingest endpoint", 0);
        log.createTopicIfAbsent(HTTP_TOPIC, TopicConfig.partitions(InputTopic.PARTITIONS));
        DeadLetterFile deadLetters = new DeadLetterFile(options.stateDir());
        StreamJob job = StreamJob.named(name);
        plan(job, ParsedSource.of(LogSource.of(log, HTTP_TOPIC, InputLine.WHOLE_VALUE_SERDE), HTTP_TOPIC, parser()),
                options, deadLetters, out);
        try (JobRun run = JobRun.start(job, jobConfig(options))) {
            HttpIngest ingest;
            try {
                HttpIngest.Builder builder = HttpIngest.builder(log, HTTP_TOPIC).port(options.httpPort());
                if (httpKeyField() != null) {
                    builder.keyField(httpKeyField());
                }
                ingest = builder.start();
            } catch (IllegalArgumentException e) {
                run.cancel();
                err.println(name + ": --http " + options.httpPort() + ": " + e.getMessage());
                return new Outcome(ExitCodes.FAILED, false);
            }
            run.feedFrom(ingest);
            out.println(name + ": serving POST http://127.0.0.1:" + ingest.port() + "/events (JSON, or JSON lines as"
                    + " application/x-ndjson) until stopped (Ctrl-C); state in " + options.stateDir() + ", results in "
                    + options.jdbcUrl());
            boolean ended = run.await();
            ingest.close();
            long dead = deadLetters.publish();
            out.printf("%n%s: %s: %,d events accepted by this run, %,d dead letters in all%s%n%n", name,
                    ended ? "the job ended" : "stopped after a final checkpoint", ingest.acceptedEvents(), dead,
                    dead == 0 ? "" : " (see " + deadLetters.file() + ")");
            printSummary(options, out);
            return new Outcome(ExitCodes.OK, !ended);
        }
    }

    /** The field that keys events posted over HTTP (so one key's events share a partition), or null. */
    protected String httpKeyField() {
        return null;
    }

    /** The job's configuration: the example's defaults, then {@code runnel.job.*} system properties, then the state dir. */
    private static JobConfig jobConfig(ExampleOptions options) {
        Properties overrides = new Properties();
        overrides.putAll(System.getProperties());
        overrides.remove("runnel.job.stateDir"); // the state root holds the log too; the job's part is the root itself
        return JobConfig.defaults()
                .withCheckpointInterval(DEFAULT_CHECKPOINT_INTERVAL)
                .withBadDataPolicy(BadDataPolicy.DEAD_LETTER)
                .withOverrides(overrides)
                .withStateDir(options.stateDir())
                .withStopOnShutdown(false);
    }
}
