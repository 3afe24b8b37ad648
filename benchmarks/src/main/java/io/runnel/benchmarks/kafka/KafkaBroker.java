package io.runnel.benchmarks.kafka;

import io.runnel.benchmarks.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;

/**
 * One Apache Kafka broker in KRaft combined mode (broker and controller), started as a child JVM
 * from the classpath of this process the way Kafka's scripts do it: {@code StorageTool format},
 * then {@code kafka.Kafka} with {@code -Xms1g -Xmx1g -XX:+UseG1GC}. It listens on 127.0.0.1 only
 * and keeps its data in the given directory; {@link #close} stops it cleanly (or kills it after
 * 30 s). The child exits by itself when this JVM dies ({@link KafkaBrokerProcess}). Not
 * thread-safe except {@link #bootstrapServers}.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Path dir;
    private final String bootstrap;
    private final Process process;
    private final Admin admin;
    private boolean closed;

    private KafkaBroker(Path dir, String bootstrap, Process process, Admin admin) {
        this.dir = dir;
        this.bootstrap = bootstrap;
        this.process = process;
        this.admin = admin;
    }

    /**
     * Formats storage in {@code dir} and starts the broker; returns once it answers.
     *
     * @throws IOException if the broker cannot be started (its log is in {@code dir/broker.log})
     */
    public static KafkaBroker start(Path dir) throws IOException, InterruptedException {
        int brokerPort = freePort();
        int controllerPort = freePort();
        Path props = dir.resolve("server.properties");
        Files.writeString(props, serverProperties(dir.resolve("data"), brokerPort, controllerPort),
                StandardCharsets.UTF_8);
        Path log = dir.resolve("broker.log");

        List<String> format = new ArrayList<>(javaCommand());
        format.addAll(List.of("-Xmx256m", "kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(),
                "-c", props.toString()));
        Process formatting = new ProcessBuilder(format).redirectErrorStream(true)
                .redirectOutput(dir.resolve("format.log").toFile()).start();
        if (!formatting.waitFor(60, TimeUnit.SECONDS) || formatting.exitValue() != 0) {
            formatting.destroyForcibly();
            throw new IOException("kafka storage format failed: " + tail(dir.resolve("format.log")));
        }

        List<String> serve = new ArrayList<>(javaCommand());
        // Kafka's kafka-server-start.sh heap and kafka-run-class.sh performance options.
        serve.addAll(1, List.of("-Xms1g", "-Xmx1g", "-server", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
                "-XX:InitiatingHeapOccupancyPercent=35", "-XX:+ExplicitGCInvokesConcurrent",
                "-Djava.awt.headless=true", "-Dorg.slf4j.simpleLogger.defaultLogLevel=info"));
        serve.addAll(List.of(KafkaBrokerProcess.class.getName(), props.toString()));
        Process process = new ProcessBuilder(serve).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            awaitListening(process, brokerPort, log);
        } catch (IOException | InterruptedException | RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
        String bootstrap = "127.0.0.1:" + brokerPort;
        Properties adminProps = new Properties();
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        Admin admin = Admin.create(adminProps);
        KafkaBroker broker = new KafkaBroker(dir, bootstrap, process, admin);
        try {
            broker.awaitReady();
        } catch (IOException | InterruptedException | RuntimeException e) {
            broker.close();
            throw e;
        }
        Progress.say("kafka broker up on %s (pid %d, log %s)", bootstrap, process.pid(), log);
        return broker;
    }

    /** Waits until the broker's port accepts connections (so clients do not log refusals). */
    private static void awaitListening(Process process, int port, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("kafka broker exited with " + process.exitValue() + ": " + tail(log));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IOException("kafka broker did not listen on port " + port + " within " + START_TIMEOUT + ": " + tail(log));
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("kafka broker exited with " + process.exitValue() + ": " + tail(dir.resolve("broker.log")));
            }
            try {
                if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(200);
        }
        throw new IOException("kafka broker did not answer within " + START_TIMEOUT + " (last error " + last + "): "
                + tail(dir.resolve("broker.log")));
    }

    public String bootstrapServers() {
        return bootstrap;
    }

    /** The admin client of this broker (closed with it). */
    public Admin admin() {
        return admin;
    }

    /**
     * Creates a topic with replication factor 1 and the given topic configs, and waits until the
     * broker serves every partition. Producing to a partition the broker has not applied yet can
     * wedge an idempotent producer in OUT_OF_ORDER_SEQUENCE_NUMBER retries (KAFKA-15591).
     */
    public void createTopic(String name, int partitions, Map<String, String> configs) throws Exception {
        admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs))).all()
                .get(60, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                TopicDescription d = admin.describeTopics(List.of(name)).allTopicNames().get(10, TimeUnit.SECONDS).get(name);
                if (d.partitions().size() == partitions && d.partitions().stream().allMatch(p -> p.leader() != null)) {
                    // List offsets is answered by the partitions themselves, not by the metadata
                    // cache (which the broker updates first): once it answers, produce works.
                    Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
                    for (int p = 0; p < partitions; p++) {
                        specs.put(new TopicPartition(name, p), OffsetSpec.latest());
                    }
                    admin.listOffsets(specs).all().get(30, TimeUnit.SECONDS);
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("topic " + name + " has no leader for every partition after 60 s");
            }
            Thread.sleep(50);
        }
    }

    /** Stops the broker; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        admin.close(Duration.ofSeconds(5));
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // The child is gone already.
        }
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                Progress.say("kafka broker did not stop within %s: killing it", STOP_TIMEOUT);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static List<String> javaCommand() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path")));
    }

    private static String serverProperties(Path logDir, int brokerPort, int controllerPort) {
        return String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + brokerPort,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                "log.dirs=" + logDir,
                "num.partitions=6",
                "auto.create.topics.enable=false",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e + ")";
        }
    }
}
