package io.runnel.log.internal;

import io.runnel.log.CleanupPolicy;
import io.runnel.log.Compression;
import io.runnel.log.Consumer;
import io.runnel.log.ConsumerConfig;
import io.runnel.log.ConsumerGroups;
import io.runnel.log.CorruptRecordException;
import io.runnel.log.DamagedLogException;
import io.runnel.log.InvalidPartitionException;
import io.runnel.log.Log;
import io.runnel.log.LogClosedException;
import io.runnel.log.LogConfig;
import io.runnel.log.LogLockedException;
import io.runnel.log.PartitionInfo;
import io.runnel.log.Producer;
import io.runnel.log.ProducerConfig;
import io.runnel.log.ReadOnlyLogException;
import io.runnel.log.RunnelLogException;
import io.runnel.log.Serde;
import io.runnel.log.TopicConfig;
import io.runnel.log.TopicDescription;
import io.runnel.log.TopicExistsException;
import io.runnel.log.TopicPartition;
import io.runnel.log.UnknownTopicException;
import io.runnel.log.format.LogFiles;
import io.runnel.log.format.RecordBatch;
import io.runnel.log.format.RecordCursor;
import io.runnel.log.storage.Storage;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The file-backed {@link Log}: topics in a directory, the journal, the background cleaner and
 * (read-only) the tail watcher. Thread-safe.
 */
public final class DiskLog implements Log {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DiskLog.class);

    /** A topic's config and partitions. */
    static final class TopicState {
        final String name;
        final TopicConfig config;
        final PartitionLog[] partitions;

        TopicState(String name, TopicConfig config, PartitionLog[] partitions) {
            this.name = name;
            this.config = config;
            this.partitions = partitions;
        }
    }

    private final Path dir;
    private final LogContext ctx;
    private final Storage storage;
    private final Closeable lock;
    private final Map<String, TopicState> topics = new ConcurrentHashMap<>();
    private final Journal journal;
    private final ScheduledExecutorService background;
    private final GroupCoordinator groups;
    private final Cleaner cleaner;
    private final LogLoader tailLoader;
    private volatile boolean closed;

    private DiskLog(Path dir, LogConfig config, boolean readOnly) throws IOException {
        this.dir = dir.toAbsolutePath();
        this.ctx = new LogContext(config, readOnly);
        this.storage = config.storage();
        if (readOnly) {
            if (!storage.isDirectory(this.dir)) {
                throw new io.runnel.log.InvalidConfigException("cannot open " + this.dir
                        + " read-only: no such directory (open it for writing once to create it)");
            }
            this.lock = null;
        } else {
            createDurably(storage, this.dir);
            this.lock = storage.tryLock(this.dir.resolve(LogFiles.LOCK_FILE));
            if (lock == null) {
                throw new LogLockedException("log directory " + this.dir + " is owned by another process or another"
                        + " open Log in this JVM: close that one, or use Log.openReadOnly to read it");
            }
        }
        this.background = Executors.newSingleThreadScheduledExecutor(named(config.threadFactory(), "background"));
        try {
            loadTopics();
        } catch (IOException | RuntimeException e) {
            closePartitions();
            background.shutdownNow();
            releaseLock();
            throw e;
        }
        this.groups = new GroupCoordinator(this, ctx);
        if (readOnly) {
            this.journal = null;
            this.cleaner = null;
            this.tailLoader = new LogLoader(ctx);
            long ms = config.tailPollInterval().toMillis();
            background.scheduleWithFixedDelay(this::refreshTail, ms, ms, TimeUnit.MILLISECONDS);
        } else {
            this.tailLoader = null;
            this.journal = new Journal(ctx, this::allPartitions, background);
            this.cleaner = new Cleaner(ctx, this::allPartitions);
            long rms = config.retentionCheckInterval().toMillis();
            background.scheduleWithFixedDelay(this::clean, rms, rms, TimeUnit.MILLISECONDS);
            long pms = config.recoveryPointInterval().toMillis();
            background.scheduleWithFixedDelay(this::persistRecoveryPoints, pms, pms, TimeUnit.MILLISECONDS);
        }
    }

    /** Threads of {@code factory} with {@code role} appended to their names (for thread dumps and logs). */
    static java.util.concurrent.ThreadFactory named(java.util.concurrent.ThreadFactory factory, String role) {
        return r -> {
            Thread t = factory.newThread(r);
            t.setName(t.getName() + "-" + role);
            return t;
        };
    }

    /** Creates {@code dir} and missing parents, forcing each new entry's parent directory. */
    private static void createDurably(Storage storage, Path dir) throws IOException {
        if (storage.isDirectory(dir)) {
            return;
        }
        Path parent = dir.getParent();
        if (parent != null) {
            createDurably(storage, parent);
        }
        storage.createDirectories(dir);
        if (parent != null) {
            storage.forceDirectory(parent);
        }
    }

    /** Opens a log; see {@link Log#open(Path, LogConfig)}. */
    public static Log open(Path dir, LogConfig config, boolean readOnly) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(config, "config");
        try {
            return new DiskLog(dir, config, readOnly);
        } catch (IOException e) {
            throw new RunnelLogException("cannot open log in " + dir + ": " + e, e);
        }
    }

    /** See {@link Log#isOwned(Path)}: the lock only a writing open holds, tested on the real disk. */
    public static boolean isOwned(Path dir) {
        Objects.requireNonNull(dir, "dir");
        try {
            return io.runnel.log.storage.FileStorage.INSTANCE.isLocked(dir.toAbsolutePath().resolve(LogFiles.LOCK_FILE));
        } catch (IOException e) {
            throw new RunnelLogException("cannot test whether " + dir + " is owned: " + e, e);
        }
    }

    LogContext context() {
        return ctx;
    }

    Storage storage() {
        return storage;
    }

    Collection<PartitionLog> allPartitions() {
        List<PartitionLog> out = new ArrayList<>();
        for (TopicState t : topics.values()) {
            for (PartitionLog p : t.partitions) {
                out.add(p);
            }
        }
        return out;
    }

    private void loadTopics() throws IOException {
        LogLoader loader = new LogLoader(ctx);
        for (Path t : storage.list(dir)) {
            String name = t.getFileName().toString();
            if (name.startsWith(".") || !storage.isDirectory(t)) {
                continue;
            }
            if (name.endsWith(LogFiles.DELETED_SUFFIX) || name.contains(LogFiles.DELETED_SUFFIX + "-")) {
                if (!ctx.readOnly) {
                    LOG.info("finishing the deletion of {}", t);
                    deleteRecursively(t);
                }
                continue;
            }
            TopicState ts = loadTopic(loader, name);
            if (ts != null) {
                topics.put(name, ts);
            }
        }
    }

    private TopicState loadTopic(LogLoader loader, String name) throws IOException {
        Path tdir = dir.resolve(name);
        Path meta = tdir.resolve(LogFiles.TOPIC_FILE);
        Map<String, String> m = AtomicFile.read(storage, meta);
        TopicConfig config = m == null ? null : parseTopicConfig(m);
        if (config == null) {
            if (hasData(tdir)) {
                throw new DamagedLogException(meta, 0, 0, "topic metadata is missing or damaged but the topic has data;"
                        + " restore " + LogFiles.TOPIC_FILE + " (partitions=N and the other settings)");
            }
            if (!ctx.readOnly) {
                LOG.warn("removing {}: a topic whose creation did not complete", tdir);
                deleteRecursively(tdir);
            }
            return null;
        }
        PartitionLog[] parts = new PartitionLog[config.partitionCount()];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = loader.load(new TopicPartition(name, i), LogFiles.partitionDir(dir, name, i), config);
        }
        return new TopicState(name, config, parts);
    }

    private boolean hasData(Path tdir) throws IOException {
        for (Path p : storage.list(tdir)) {
            if (storage.isDirectory(p)) {
                for (Path f : storage.list(p)) {
                    if (LogFiles.hasSuffix(f, LogFiles.LOG_SUFFIX) && storage.size(f) > 0) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    static Map<String, String> topicConfigEntries(TopicConfig c) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("partitions", Integer.toString(c.partitionCount()));
        m.put("retentionMs", Long.toString(c.retentionMs()));
        m.put("retentionBytes", Long.toString(c.retentionBytes()));
        m.put("cleanupPolicy", c.cleanupPolicy().name());
        m.put("compression", c.compression().name());
        m.put("segmentBytes", Long.toString(c.segmentBytes()));
        m.put("segmentAgeMs", Long.toString(c.segmentAgeMs()));
        m.put("tombstoneRetentionMs", Long.toString(c.tombstoneRetentionMs()));
        return m;
    }

    private static TopicConfig parseTopicConfig(Map<String, String> m) {
        try {
            TopicConfig c = TopicConfig.partitions(Integer.parseInt(m.get("partitions")))
                    .withCleanupPolicy(CleanupPolicy.valueOf(m.get("cleanupPolicy")))
                    .withCompression(Compression.valueOf(m.get("compression")))
                    .withRetentionBytes(Long.parseLong(m.get("retentionBytes")))
                    .withTombstoneRetention(java.time.Duration.ofMillis(Long.parseLong(m.get("tombstoneRetentionMs"))));
            long rms = Long.parseLong(m.get("retentionMs"));
            if (rms != TopicConfig.UNLIMITED) {
                c = c.withRetention(java.time.Duration.ofMillis(rms));
            }
            long sb = Long.parseLong(m.get("segmentBytes"));
            if (sb != TopicConfig.UNLIMITED) {
                c = c.withSegmentBytes(sb);
            }
            long sa = Long.parseLong(m.get("segmentAgeMs"));
            if (sa != TopicConfig.UNLIMITED) {
                c = c.withSegmentAge(java.time.Duration.ofMillis(sa));
            }
            return c;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private void deleteRecursively(Path p) throws IOException {
        if (storage.isDirectory(p)) {
            for (Path c : storage.list(p)) {
                deleteRecursively(c);
            }
        }
        storage.delete(p);
    }

    // ---- topics ----

    TopicState topicState(String topic) {
        checkOpen();
        TopicState t = topics.get(Objects.requireNonNull(topic, "topic"));
        if (t == null) {
            throw new UnknownTopicException("unknown topic '" + topic + "' in " + dir
                    + " (create it with Log.createTopic; existing topics: " + new TreeSet<>(topics.keySet()) + ")");
        }
        return t;
    }

    PartitionLog partition(TopicPartition tp) {
        TopicState t = topicState(tp.topic());
        if (tp.partition() >= t.partitions.length) {
            throw new InvalidPartitionException("partition " + tp.partition() + " does not exist: topic '" + tp.topic()
                    + "' has partitions 0.." + (t.partitions.length - 1));
        }
        return t.partitions[tp.partition()];
    }

    private void checkOpen() {
        if (closed) {
            throw new LogClosedException("the log in " + dir + " is closed: open it again with Log.open");
        }
    }

    private void checkWritable(String what) {
        checkOpen();
        if (ctx.readOnly) {
            throw new ReadOnlyLogException("cannot " + what + ": the log in " + dir + " was opened read-only"
                    + " (the process that owns it must do this)");
        }
    }

    @Override
    public void createTopic(String name, TopicConfig config) {
        if (!createTopicIfAbsent(name, config)) {
            throw new TopicExistsException("topic '" + name + "' already exists (use createTopicIfAbsent, or"
                    + " deleteTopic first)");
        }
    }

    @Override
    public synchronized boolean createTopicIfAbsent(String name, TopicConfig config) {
        checkWritable("create topic '" + name + "'");
        LogFiles.checkName("topic name", name);
        Objects.requireNonNull(config, "config");
        if (topics.containsKey(name)) {
            return false;
        }
        Path tdir = dir.resolve(name);
        try {
            storage.createDirectories(tdir);
            storage.forceDirectory(dir);
            for (int i = 0; i < config.partitionCount(); i++) {
                storage.createDirectories(LogFiles.partitionDir(dir, name, i));
            }
            storage.forceDirectory(tdir);
            // Metadata last: a topic directory without it is an incomplete create, removed at open.
            AtomicFile.write(storage, tdir.resolve(LogFiles.TOPIC_FILE), topicConfigEntries(config));
            LogLoader loader = new LogLoader(ctx);
            PartitionLog[] parts = new PartitionLog[config.partitionCount()];
            for (int i = 0; i < parts.length; i++) {
                parts[i] = loader.load(new TopicPartition(name, i), LogFiles.partitionDir(dir, name, i), config);
            }
            topics.put(name, new TopicState(name, config, parts));
            LOG.info("created topic '{}' with {}", name, config);
            groups.onTopicsChanged();
            return true;
        } catch (IOException e) {
            throw new RunnelLogException("cannot create topic '" + name + "' in " + dir + ": " + e
                    + " (check disk space and permissions)", e);
        }
    }

    @Override
    public Set<String> topics() {
        checkOpen();
        return Set.copyOf(topics.keySet());
    }

    @Override
    public TopicConfig topicConfig(String topic) {
        return topicState(topic).config;
    }

    @Override
    public int partitionCount(String topic) {
        return topicState(topic).partitions.length;
    }

    @Override
    public synchronized void deleteTopic(String name) {
        checkWritable("delete topic '" + name + "'");
        TopicState t = topicState(name);
        try {
            journal.submit(() -> {
                for (PartitionLog p : t.partitions) {
                    p.markDeleted();
                }
            }).get();
            topics.remove(name);
            Path tdir = dir.resolve(name);
            Path gone = dir.resolve(name + LogFiles.DELETED_SUFFIX + "-" + System.nanoTime());
            storage.rename(tdir, gone);
            storage.forceDirectory(dir);
            deleteRecursively(gone);
            groups.onTopicDeleted(name);
            LOG.info("deleted topic '{}'", name);
        } catch (IOException e) {
            throw new RunnelLogException("cannot delete topic '" + name + "': " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunnelLogException("interrupted while deleting topic '" + name + "'", e);
        } catch (ExecutionException e) {
            throw new RunnelLogException("cannot delete topic '" + name + "': " + e.getCause(), e.getCause());
        }
    }

    @Override
    public long startOffset(TopicPartition tp) {
        return partition(tp).startOffset();
    }

    @Override
    public long endOffset(TopicPartition tp) {
        return partition(tp).endOffset();
    }

    @Override
    public OptionalLong offsetForTimestamp(TopicPartition tp, long timestampMs) {
        PartitionLog p = partition(tp);
        try {
            return offsetForTimestamp(p, timestampMs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static OptionalLong offsetForTimestamp(PartitionLog p, long ts) throws IOException {
        long end = p.endOffset();
        BatchScanner scanner = new BatchScanner(p.ctx.maxBatchLength);
        RecordCursor cursor = new RecordCursor();
        for (Segment seg : p.segments.values()) {
            if (seg.maxTimestamp() < ts || seg.file() == null) {
                continue;
            }
            long startOff = seg.scanStartForTimestamp(ts);
            scanner.reset(seg.file(), seg.floorPosition(startOff), seg.committedSize());
            RecordBatch b;
            try {
                while ((b = scanner.next()) != null) {
                    if (b.maxTimestamp() < ts || b.baseOffset() >= end) {
                        continue;
                    }
                    b.records(cursor, p.ctx.maxBatchLength);
                    while (cursor.next()) {
                        if (cursor.timestamp() >= ts && cursor.offset() >= p.startOffset() && cursor.offset() < end) {
                            return OptionalLong.of(cursor.offset());
                        }
                    }
                }
            } catch (CorruptRecordException e) {
                throw new CorruptRecordException("searching " + seg + " for timestamp " + ts + ": " + e.getMessage(), e);
            }
        }
        return OptionalLong.empty();
    }

    @Override
    public TopicDescription describe(String topic) {
        TopicState t = topicState(topic);
        List<PartitionInfo> infos = new ArrayList<>();
        for (PartitionLog p : t.partitions) {
            infos.add(new PartitionInfo(p.tp, p.startOffset(), p.endOffset(), p.persistedRecoveryPoint(),
                    p.sizeInBytes(), p.segments.size()));
        }
        return new TopicDescription(topic, t.config, List.copyOf(infos));
    }

    @Override
    public <K, V> Producer<K, V> producer(Serde<K> keySerde, Serde<V> valueSerde) {
        return producer(keySerde, valueSerde, ProducerConfig.defaults());
    }

    @Override
    public <K, V> Producer<K, V> producer(Serde<K> keySerde, Serde<V> valueSerde, ProducerConfig config) {
        checkWritable("create a producer");
        return new DefaultProducer<>(this, journal, keySerde, valueSerde, Objects.requireNonNull(config, "config"));
    }

    @Override
    public <K, V> Consumer<K, V> consumer(Serde<K> keySerde, Serde<V> valueSerde, ConsumerConfig config) {
        checkOpen();
        return new DefaultConsumer<>(this, groups, keySerde, valueSerde, Objects.requireNonNull(config, "config"));
    }

    @Override
    public ConsumerGroups groups() {
        checkOpen();
        return groups;
    }

    @Override
    public Path directory() {
        return dir;
    }

    @Override
    public boolean isReadOnly() {
        return ctx.readOnly;
    }

    boolean isClosed() {
        return closed;
    }

    /** Test hook: the journal's fatal failure, if any. */
    Throwable journalFailure() {
        return journal == null ? null : journal.failure();
    }

    // ---- background ----

    private void clean() {
        if (closed) {
            return;
        }
        try {
            cleaner.run();
        } catch (Throwable t) {
            LOG.warn("retention/compaction pass failed: {}", t.toString(), t);
        }
    }

    /** Runs one retention and compaction pass now (tests, tools). */
    void cleanNow() {
        try {
            background.submit(this::clean).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new RunnelLogException("cleaning failed: " + e.getCause(), e.getCause());
        }
    }

    private void persistRecoveryPoints() {
        if (closed) {
            return;
        }
        for (PartitionLog p : allPartitions()) {
            try {
                p.persistRecoveryPoint();
            } catch (IOException | RuntimeException e) {
                LOG.warn("{}: persisting the recovery point failed: {}", p, e.toString());
            }
        }
    }

    private void refreshTail() {
        if (closed) {
            return;
        }
        try {
            for (Path t : storage.list(dir)) {
                String name = t.getFileName().toString();
                if (name.startsWith(".") || name.contains(LogFiles.DELETED_SUFFIX) || topics.containsKey(name)
                        || !storage.isDirectory(t)) {
                    continue;
                }
                TopicState ts = loadTopic(tailLoader, name);
                if (ts != null) {
                    topics.put(name, ts);
                }
            }
            for (TopicState t : topics.values()) {
                if (!storage.exists(dir.resolve(t.name).resolve(LogFiles.TOPIC_FILE))) {
                    topics.remove(t.name);
                    for (PartitionLog p : t.partitions) {
                        p.markDeleted();
                    }
                    continue;
                }
                for (PartitionLog p : t.partitions) {
                    tailLoader.refresh(p);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("tail refresh: {}", e.toString());
        }
    }

    // ---- close ----

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        groups.close();
        if (journal != null) {
            journal.close(() -> {
                if (journal.failure() != null) {
                    return;
                }
                for (PartitionLog p : allPartitions()) {
                    try {
                        p.persistRecoveryPoint();
                        p.writeProducerSnapshot(p.nextOffset());
                    } catch (IOException e) {
                        LOG.warn("{}: persisting state at close failed: {}", p, e.toString());
                    }
                }
            });
        }
        background.shutdownNow();
        try {
            background.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closePartitions();
        releaseLock();
    }

    private void closePartitions() {
        for (TopicState t : topics.values()) {
            for (PartitionLog p : t.partitions) {
                p.close();
            }
        }
    }

    private void releaseLock() {
        if (lock != null) {
            try {
                lock.close();
            } catch (IOException e) {
                LOG.warn("releasing the lock of {}: {}", dir, e.toString());
            }
        }
    }

    @Override
    public String toString() {
        return "DiskLog[" + dir + (ctx.readOnly ? ", read-only" : "") + "]";
    }
}
