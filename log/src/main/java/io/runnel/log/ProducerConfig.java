package io.runnel.log;

import java.util.Objects;

/** Settings of one {@link Producer}. Immutable; start from {@link #defaults()}. */
public final class ProducerConfig {
    private static final ProducerConfig DEFAULTS = new ProducerConfig(null);
    private final String producerId;

    private ProducerConfig(String producerId) {
        this.producerId = producerId;
    }

    /** A plain producer: every send appends. */
    public static ProducerConfig defaults() {
        return DEFAULTS;
    }

    /**
     * An idempotent producer named {@code producerId} (stable across restarts, unique per log):
     * each record carries (producer id, sequence per partition) in its batch header; a partition
     * remembers each producer id's last batch, and a re-sent sequence at or below that producer's
     * last one is acknowledged with {@link RecordMetadata#duplicate()} set, without appending
     * twice. Sequences come from {@link ProducerRecord#sequence()} (increasing per partition; gaps
     * allowed) or, when that is null, continue after the last one the partition holds.
     *
     * <p>The state survives restarts, kills and power cuts (snapshots plus a replay of the batches
     * after them; docs/FORMAT.md). A producer id is remembered while its last batch is retained:
     * once retention deletes that batch's segment the id is forgotten, and re-sent old sequences
     * are appended again (Kafka expires producer ids the same way).
     */
    public static ProducerConfig idempotent(String producerId) {
        Objects.requireNonNull(producerId, "producerId");
        if (producerId.isEmpty() || producerId.length() > 255) {
            throw new InvalidConfigException("producerId must have 1 to 255 characters, was '" + producerId + "'");
        }
        return new ProducerConfig(producerId);
    }

    /** The idempotent producer id, or null. */
    public String producerId() {
        return producerId;
    }

    public boolean isIdempotent() {
        return producerId != null;
    }
}
