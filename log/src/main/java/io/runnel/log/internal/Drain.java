package io.runnel.log.internal;

import io.runnel.log.RecordMetadata;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One drain of the journal, from its writes to its acknowledgement: the requests it answers (in
 * ring order, each with its offset or its own error) and what it makes visible (per partition the
 * end offset, per written segment its size, end and max timestamp as of the drain's last write).
 *
 * <p>Under FSYNC the {@link Forcer} publishes and completes it after the journal has moved on to
 * later drains, so nothing here reads the partitions' writer state after {@link #addPartition}.
 *
 * <p>Threading: filled by the journal thread, then handed over (through a lock, which orders the
 * two) to the thread that publishes and completes it. Reused after {@link #clear()}.
 */
final class Drain {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Drain.class);

    // Requests, in ring order. A null partition marks a barrier (a flush), completed with null.
    private int requests;
    private CompletableFuture<?>[] futures = new CompletableFuture<?>[1024];
    private PartitionLog[] requestPartitions = new PartitionLog[1024];
    private long[] offsets = new long[1024];
    private long[] timestamps = new long[1024];
    private Throwable[] errors = new Throwable[1024];
    private boolean[] duplicates = new boolean[1024];

    // What becomes visible: per touched partition its end, per written segment its state.
    private int partitionCount;
    private PartitionLog[] partitions = new PartitionLog[16];
    private long[] ends = new long[16];
    /** Segments of partition i: [segmentsFrom[i], segmentsFrom[i + 1]) (the last up to segmentCount). */
    private int[] segmentsFrom = new int[16];
    private int segmentCount;
    private Segment[] segments = new Segment[16];
    private long[] segmentSizes = new long[16];
    private long[] segmentEnds = new long[16];
    private long[] segmentMaxTimestamps = new long[16];

    int requestCount() {
        return requests;
    }

    boolean isEmpty() {
        return requests == 0 && partitionCount == 0;
    }

    /** Adds a request: its offset, or its error (then the offset is meaningless). */
    void addRequest(CompletableFuture<?> f, PartitionLog p, long offset, long timestampMs, Throwable error,
            boolean duplicate) {
        int n = requests;
        if (n == futures.length) {
            int c = n * 2;
            futures = Arrays.copyOf(futures, c);
            requestPartitions = Arrays.copyOf(requestPartitions, c);
            offsets = Arrays.copyOf(offsets, c);
            timestamps = Arrays.copyOf(timestamps, c);
            errors = Arrays.copyOf(errors, c);
            duplicates = Arrays.copyOf(duplicates, c);
        }
        futures[n] = f;
        requestPartitions[n] = p;
        offsets[n] = offset;
        timestamps[n] = timestampMs;
        errors[n] = error;
        duplicates[n] = duplicate;
        requests = n + 1;
    }

    /** Adds a barrier: completed (normally) once every request before it is completed. */
    void addBarrier(CompletableFuture<Void> done) {
        addRequest(done, null, -1, 0, null, false);
    }

    /**
     * Fails this drain's records of partitions whose write failed ({@link PartitionLog#drainFailure})
     * from the failed batch on (journal, after writing, before the partitions' drain state is reset).
     */
    void applyWriteFailures() {
        for (int i = 0; i < requests; i++) {
            PartitionLog p = requestPartitions[i];
            if (p != null && errors[i] == null && !duplicates[i] && p.drainFailure != null
                    && offsets[i] >= p.drainFailureFrom) {
                errors[i] = p.drainFailure;
            }
        }
    }

    /** Records what {@code p} makes visible once this drain is durable: everything written so far (journal). */
    void addPartition(PartitionLog p) {
        List<Segment> written = p.writtenThisDrain;
        if (partitionCount == partitions.length) {
            int c = partitionCount * 2;
            partitions = Arrays.copyOf(partitions, c);
            ends = Arrays.copyOf(ends, c);
            segmentsFrom = Arrays.copyOf(segmentsFrom, c);
        }
        partitions[partitionCount] = p;
        ends[partitionCount] = p.nextOffset();
        segmentsFrom[partitionCount] = segmentCount;
        partitionCount++;
        for (int i = 0; i < written.size(); i++) {
            Segment s = written.get(i);
            if (segmentCount == segments.length) {
                int c = segmentCount * 2;
                segments = Arrays.copyOf(segments, c);
                segmentSizes = Arrays.copyOf(segmentSizes, c);
                segmentEnds = Arrays.copyOf(segmentEnds, c);
                segmentMaxTimestamps = Arrays.copyOf(segmentMaxTimestamps, c);
            }
            segments[segmentCount] = s;
            segmentSizes[segmentCount] = s.size();
            segmentEnds[segmentCount] = s.nextOffset();
            segmentMaxTimestamps[segmentCount] = s.writtenMaxTimestamp();
            segmentCount++;
        }
    }

    int partitionCount() {
        return partitionCount;
    }

    PartitionLog partition(int i) {
        return partitions[i];
    }

    /** The end offset partition {@code i} had after this drain's writes. */
    long end(int i) {
        return ends[i];
    }

    /** Adds the segments partition {@code i} wrote in this drain to {@code out}, each once. */
    void addWrittenSegments(int i, List<Segment> out) {
        int to = i + 1 < partitionCount ? segmentsFrom[i + 1] : segmentCount;
        for (int j = segmentsFrom[i]; j < to; j++) {
            if (!out.contains(segments[j])) {
                out.add(segments[j]);
            }
        }
    }

    /** Makes this drain's writes visible to readers (after the durability step). */
    void publish() {
        for (int j = 0; j < segmentCount; j++) {
            segments[j].commit(segmentSizes[j], segmentEnds[j], segmentMaxTimestamps[j]);
        }
        for (int i = 0; i < partitionCount; i++) {
            partitions[i].publish(ends[i]);
        }
    }

    /**
     * Completes every request in order: with its own error, else with {@code drainError} if not
     * null (duplicates too: their original may be in a drain whose force failed), else with its
     * metadata.
     */
    @SuppressWarnings("unchecked") // a barrier's future is a CompletableFuture<Void>, the others <RecordMetadata>
    void complete(Throwable drainError) {
        for (int i = 0; i < requests; i++) {
            PartitionLog p = requestPartitions[i];
            try {
                if (p == null) {
                    ((CompletableFuture<Void>) futures[i]).complete(null);
                    continue;
                }
                CompletableFuture<RecordMetadata> f = (CompletableFuture<RecordMetadata>) futures[i];
                Throwable err = errors[i] != null ? errors[i] : drainError;
                if (err != null) {
                    f.completeExceptionally(err);
                } else {
                    f.complete(new RecordMetadata(p.tp.topic(), p.tp.partition(), offsets[i], timestamps[i],
                            duplicates[i]));
                }
            } catch (Throwable t) {
                LOG.warn("a producer callback threw; ignored", t);
            }
        }
    }

    /** Drops every reference so the drain can be reused. */
    void clear() {
        Arrays.fill(futures, 0, requests, null);
        Arrays.fill(requestPartitions, 0, requests, null);
        Arrays.fill(errors, 0, requests, null);
        requests = 0;
        Arrays.fill(partitions, 0, partitionCount, null);
        partitionCount = 0;
        Arrays.fill(segments, 0, segmentCount, null);
        segmentCount = 0;
    }
}
