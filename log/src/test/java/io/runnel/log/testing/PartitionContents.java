package io.runnel.log.testing;

import io.runnel.log.Consumer;
import io.runnel.log.ConsumerConfig;
import io.runnel.log.ConsumerRecord;
import io.runnel.log.ConsumerRecords;
import io.runnel.log.Log;
import io.runnel.log.Serdes;
import io.runnel.log.TopicPartition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reads partitions in full, for checkers. */
public final class PartitionContents {
    private PartitionContents() {
    }

    /** Every record of {@code tp} from its start to its end offset, in order. */
    public static List<ConsumerRecord<String, String>> readAll(Log log, TopicPartition tp) {
        long end = log.endOffset(tp);
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (Consumer<String, String> c = log.consumer(Serdes.string(), Serdes.string(),
                ConsumerConfig.defaults().withAutoOffsetReset(ConsumerConfig.AutoOffsetReset.NONE))) {
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            while (c.position(tp) < end) {
                ConsumerRecords<String, String> rs = c.poll(Duration.ofSeconds(10));
                if (rs.isEmpty()) {
                    throw new AssertionError("no records from " + tp + " at " + c.position(tp) + " before end " + end);
                }
                for (ConsumerRecord<String, String> r : rs) {
                    out.add(r);
                }
            }
        }
        return out;
    }
}
