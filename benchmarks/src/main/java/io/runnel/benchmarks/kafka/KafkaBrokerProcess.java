package io.runnel.benchmarks.kafka;

import java.io.IOException;

/**
 * Main of the broker child JVM: {@code kafka.Kafka <server.properties>}, plus a thread that exits
 * the JVM (running Kafka's clean shutdown hook) when standard input reaches its end. The parent
 * keeps that pipe open while it needs the broker, so a broker never outlives its benchmark, not
 * even one killed with SIGKILL.
 */
public final class KafkaBrokerProcess {

    private KafkaBrokerProcess() {}

    public static void main(String[] args) throws Exception {
        Thread watcher = new Thread(KafkaBrokerProcess::exitWhenParentGone, "parent-watch");
        watcher.setDaemon(true);
        watcher.start();
        kafka.Kafka.main(args);
    }

    private static void exitWhenParentGone() {
        try {
            while (System.in.read() >= 0) {
                // The parent writes nothing; any byte is ignored.
            }
        } catch (IOException e) {
            // A broken pipe means the parent is gone too.
        }
        System.exit(0);
    }
}
