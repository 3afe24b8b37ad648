package io.runnel.log.internal;

import io.runnel.log.ConsumerGroups;
import io.runnel.log.GroupActiveException;
import io.runnel.log.OffsetReset;
import io.runnel.log.ReadOnlyLogException;
import io.runnel.log.RunnelLogException;
import io.runnel.log.TopicPartition;
import io.runnel.log.UnknownTopicException;
import io.runnel.log.format.LogFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Consumer groups of one open log: membership and partition assignment (in this process), and
 * committed offsets (in {@code .groups/<group>.offsets}, replaced atomically, the previous
 * version kept as the fallback for a damaged newest file). Thread-safe (one lock; group
 * operations are infrequent).
 *
 * <p>Rebalance: when a member joins or leaves, or a subscribed topic appears or disappears, the
 * generation increases and the partitions are dealt to the members anew (sorted partitions,
 * round robin over members sorted by id). A member picks up its new assignment on its next poll:
 * it first releases partitions it lost (committing their positions when auto commit is on), and
 * takes a new partition only once its previous owner released it, so two members never read a
 * partition at the same time.
 */
final class GroupCoordinator implements ConsumerGroups {
    private final DiskLog log;
    private final LogContext ctx;
    private final Path groupsDir;
    private final Map<String, Group> groups = new HashMap<>();
    private final AtomicLong memberIds = new AtomicLong();

    private static final class Group {
        final String id;
        int generation;
        final TreeMap<String, Set<String>> members = new TreeMap<>(); // member -> topics
        final Map<String, Set<TopicPartition>> assignment = new HashMap<>();
        final Map<TopicPartition, String> owner = new HashMap<>();
        Map<TopicPartition, Long> committed;

        Group(String id) {
            this.id = id;
        }
    }

    /** A member's view: generation and the partitions it should own. */
    record Assignment(int generation, Set<TopicPartition> partitions) {
    }

    GroupCoordinator(DiskLog log, LogContext ctx) {
        this.log = log;
        this.ctx = ctx;
        this.groupsDir = log.directory().resolve(LogFiles.GROUPS_DIR);
    }

    private Group group(String id) {
        return groups.computeIfAbsent(id, Group::new);
    }

    private Map<TopicPartition, Long> committed(Group g) {
        if (g.committed == null) {
            g.committed = loadOffsets(g.id);
        }
        return g.committed;
    }

    synchronized String join(String groupId, Collection<String> topics) {
        Group g = group(groupId);
        String member = groupId + "-" + memberIds.incrementAndGet();
        g.members.put(member, new TreeSet<>(topics));
        rebalance(g);
        return member;
    }

    synchronized void leave(String groupId, String member) {
        Group g = groups.get(groupId);
        if (g == null || g.members.remove(member) == null) {
            return;
        }
        g.owner.values().removeIf(member::equals);
        rebalance(g);
    }

    synchronized Assignment assignment(String groupId, String member) {
        Group g = group(groupId);
        Set<TopicPartition> a = g.assignment.get(member);
        return new Assignment(g.generation, a == null ? Set.of() : Set.copyOf(a));
    }

    /** Takes ownership of {@code tp} if nobody else holds it. */
    synchronized boolean tryAcquire(String groupId, String member, TopicPartition tp) {
        Group g = group(groupId);
        String o = g.owner.get(tp);
        if (o == null || o.equals(member) || !g.members.containsKey(o)) {
            g.owner.put(tp, member);
            return true;
        }
        return false;
    }

    synchronized void release(String groupId, String member, Collection<TopicPartition> tps) {
        Group g = group(groupId);
        for (TopicPartition tp : tps) {
            g.owner.remove(tp, member);
        }
    }

    synchronized void onTopicsChanged() {
        for (Group g : groups.values()) {
            if (!g.members.isEmpty()) {
                rebalance(g);
            }
        }
    }

    void onTopicDeleted(String topic) {
        synchronized (this) {
            for (Group g : groups.values()) {
                g.owner.keySet().removeIf(tp -> tp.topic().equals(topic));
            }
        }
        onTopicsChanged();
    }

    private void rebalance(Group g) {
        g.generation++;
        g.assignment.clear();
        for (String m : g.members.keySet()) {
            g.assignment.put(m, new HashSet<>());
        }
        Set<String> topics = new TreeSet<>();
        for (Set<String> t : g.members.values()) {
            topics.addAll(t);
        }
        Set<String> existing = log.isClosed() ? Set.of() : log.topics();
        for (String topic : topics) {
            if (!existing.contains(topic)) {
                continue;
            }
            List<String> subscribers = new ArrayList<>();
            for (Map.Entry<String, Set<String>> e : g.members.entrySet()) {
                if (e.getValue().contains(topic)) {
                    subscribers.add(e.getKey());
                }
            }
            int n;
            try {
                n = log.partitionCount(topic);
            } catch (UnknownTopicException e) {
                continue;
            }
            for (int p = 0; p < n; p++) {
                g.assignment.get(subscribers.get(p % subscribers.size())).add(new TopicPartition(topic, p));
            }
        }
    }

    // ---- offsets ----

    synchronized OptionalLong committed(String groupId, TopicPartition tp) {
        Long o = committed(group(groupId)).get(tp);
        return o == null ? OptionalLong.empty() : OptionalLong.of(o);
    }

    synchronized void commit(String groupId, Map<TopicPartition, Long> offsets) {
        if (ctx.readOnly) {
            throw new ReadOnlyLogException("cannot commit offsets of group '" + groupId + "': the log was opened"
                    + " read-only (track positions yourself, or consume in the owning process)");
        }
        for (Map.Entry<TopicPartition, Long> e : offsets.entrySet()) {
            if (e.getValue() == null || e.getValue() < 0) {
                throw new IllegalArgumentException("committed offset must be >= 0, was " + e.getValue() + " for "
                        + e.getKey());
            }
        }
        Group g = group(groupId);
        Map<TopicPartition, Long> next = new TreeMap<>(committed(g));
        next.putAll(offsets);
        writeOffsets(groupId, next);
        g.committed = next;
    }

    private Path offsetsFile(String groupId) {
        return groupsDir.resolve(groupId + LogFiles.OFFSETS_SUFFIX);
    }

    private void writeOffsets(String groupId, Map<TopicPartition, Long> offsets) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("group", groupId);
        for (Map.Entry<TopicPartition, Long> e : new TreeMap<>(offsets).entrySet()) {
            m.put(e.getKey().topic() + ":" + e.getKey().partition(), Long.toString(e.getValue()));
        }
        try {
            if (!ctx.storage.exists(groupsDir)) {
                ctx.storage.createDirectories(groupsDir);
                ctx.storage.forceDirectory(log.directory());
            }
            AtomicFile.write(ctx.storage, offsetsFile(groupId), m, true);
        } catch (IOException e) {
            throw new RunnelLogException("cannot commit offsets of group '" + groupId + "': " + e
                    + " (check disk space; the previous commit stands)", e);
        }
    }

    private Map<TopicPartition, Long> loadOffsets(String groupId) {
        Map<TopicPartition, Long> out = new TreeMap<>();
        try {
            Map<String, String> m = AtomicFile.readWithFallback(ctx.storage, offsetsFile(groupId));
            if (m == null) {
                return out;
            }
            for (Map.Entry<String, String> e : m.entrySet()) {
                int c = e.getKey().lastIndexOf(':');
                if (c <= 0) {
                    continue;
                }
                out.put(new TopicPartition(e.getKey().substring(0, c), Integer.parseInt(e.getKey().substring(c + 1))),
                        Long.parseLong(e.getValue()));
            }
        } catch (IOException | RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(GroupCoordinator.class)
                    .warn("offsets of group '{}' unreadable ({}); starting without them", groupId, e.toString());
            return new TreeMap<>();
        }
        return out;
    }

    // ---- ConsumerGroups ----

    @Override
    public synchronized Set<String> list() {
        Set<String> out = new TreeSet<>();
        for (Group g : groups.values()) {
            if (!g.members.isEmpty() || !committed(g).isEmpty()) {
                out.add(g.id);
            }
        }
        try {
            for (Path f : ctx.storage.list(groupsDir)) {
                String n = f.getFileName().toString();
                if (n.endsWith(LogFiles.OFFSETS_SUFFIX)) {
                    out.add(n.substring(0, n.length() - LogFiles.OFFSETS_SUFFIX.length()));
                }
            }
        } catch (IOException e) {
            throw new RunnelLogException("cannot list groups in " + groupsDir + ": " + e, e);
        }
        return out;
    }

    @Override
    public synchronized GroupDescription describe(String groupId) {
        Group g = group(groupId);
        List<MemberDescription> members = new ArrayList<>();
        Set<String> topics = new TreeSet<>();
        for (Map.Entry<String, Set<String>> e : g.members.entrySet()) {
            Set<TopicPartition> owned = new TreeSet<>();
            for (Map.Entry<TopicPartition, String> o : g.owner.entrySet()) {
                if (o.getValue().equals(e.getKey())) {
                    owned.add(o.getKey());
                }
            }
            members.add(new MemberDescription(e.getKey(), Set.copyOf(e.getValue()), owned));
            topics.addAll(e.getValue());
        }
        Map<TopicPartition, Long> c = committed(g);
        Set<TopicPartition> tps = new TreeSet<>(c.keySet());
        for (TopicPartition tp : c.keySet()) {
            topics.add(tp.topic()); // every partition of a committed topic: the others' lag counts too
        }
        for (String t : topics) {
            if (log.topics().contains(t)) {
                for (int p = 0; p < log.partitionCount(t); p++) {
                    tps.add(new TopicPartition(t, p));
                }
            }
        }
        Map<TopicPartition, PartitionOffsets> parts = new LinkedHashMap<>();
        for (TopicPartition tp : tps) {
            if (!log.topics().contains(tp.topic()) || tp.partition() >= log.partitionCount(tp.topic())) {
                continue;
            }
            long end = log.endOffset(tp);
            Long co = c.get(tp);
            long lag = end - (co != null ? co : log.startOffset(tp));
            parts.put(tp, new PartitionOffsets(co == null ? OptionalLong.empty() : OptionalLong.of(co), end,
                    Math.max(0, lag)));
        }
        return new GroupDescription(groupId, g.generation, List.copyOf(members), parts);
    }

    @Override
    public synchronized void resetOffsets(String groupId, Collection<TopicPartition> partitions, OffsetReset reset) {
        LogFiles.checkName("groupId", groupId);
        Group g = group(groupId);
        if (!g.members.isEmpty()) {
            throw new GroupActiveException("group '" + groupId + "' has " + g.members.size() + " active members "
                    + g.members.keySet() + ": close them before resetting its offsets");
        }
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (TopicPartition tp : partitions) {
            PartitionLog p = log.partition(tp);
            long start = p.startOffset();
            long end = p.endOffset();
            long target;
            if (reset instanceof OffsetReset.Earliest) {
                target = start;
            } else if (reset instanceof OffsetReset.Latest) {
                target = end;
            } else if (reset instanceof OffsetReset.ToOffset o) {
                target = Math.max(start, Math.min(end, o.offset()));
            } else {
                OffsetReset.ToTime t = (OffsetReset.ToTime) reset;
                try {
                    target = DiskLog.offsetForTimestamp(p, t.timestampMs()).orElse(end);
                } catch (IOException e) {
                    throw new RunnelLogException("cannot search " + tp + " by time: " + e, e);
                }
            }
            offsets.put(tp, target);
        }
        commit(groupId, offsets);
    }

    @Override
    public synchronized void delete(String groupId) {
        Group g = group(groupId);
        if (!g.members.isEmpty()) {
            throw new GroupActiveException("group '" + groupId + "' has active members " + g.members.keySet()
                    + ": close them before deleting it");
        }
        if (ctx.readOnly) {
            throw new ReadOnlyLogException("cannot delete group '" + groupId + "': the log was opened read-only");
        }
        try {
            ctx.storage.delete(offsetsFile(groupId));
            ctx.storage.delete(AtomicFile.previous(offsetsFile(groupId)));
            ctx.storage.forceDirectory(groupsDir);
        } catch (IOException e) {
            throw new RunnelLogException("cannot delete group '" + groupId + "': " + e, e);
        }
        groups.remove(groupId);
    }

    synchronized void close() {
        groups.clear();
    }
}
