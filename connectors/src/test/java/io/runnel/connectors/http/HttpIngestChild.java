package io.runnel.connectors.http;

import io.runnel.log.Durability;
import io.runnel.log.Log;
import io.runnel.log.LogConfig;
import io.runnel.log.TopicConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The server of {@link HttpIngestKillIT}: a log under FSYNC and an ingest endpoint; writes its port to a file, then serves until killed. */
public final class HttpIngestChild {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Path portFile = Path.of(args[1]);
        Log log = Log.open(dir, LogConfig.defaults().withDurability(Durability.fsync()));
        if (!log.topics().contains("events")) {
            log.createTopic("events", TopicConfig.partitions(3));
        }
        HttpIngest.Builder builder = HttpIngest.builder(log, "events").port(0).keyField("user");
        if (args.length > 2 && args[2].equals("no-idempotency")) {
            builder.idempotency(0, java.time.Duration.ZERO); // the broken variant the oracle must catch
        }
        HttpIngest ingest = builder.start();
        Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
        Files.writeString(tmp, String.valueOf(ingest.port()));
        Files.move(tmp, portFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Thread.sleep(Long.MAX_VALUE);
    }
}
