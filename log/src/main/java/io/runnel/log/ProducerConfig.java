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
     * remembers the last sequence of each producer id (rebuilt at recovery), and a re-sent
     * sequence it already holds is acknowledged with {@link RecordMetadata#duplicate()} set,
     * without appending twice. Sequences come from {@link ProducerRecord#sequence()} or, when that
     * is null, continue after the last one the partition holds.
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
