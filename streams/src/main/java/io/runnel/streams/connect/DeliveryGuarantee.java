package io.runnel.streams.connect;

/** What a sink guarantees for a job's results across crashes and restarts. */
public enum DeliveryGuarantee {
    /** Each result is visible once: transactional publication, or idempotent upserts on deterministic keys. */
    EXACTLY_ONCE,
    /** Each result is visible at least once; after a crash some may be written again. */
    AT_LEAST_ONCE
}
