package io.runnel.streams.internal.runtime;

import io.runnel.streams.JobMetrics;
import io.runnel.streams.OperatorMetrics;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job's metrics: operator counters summed over tasks (read from their published values, no
 * locks), checkpoint figures, the periodic log line and the JMX MBeans
 * ({@code io.runnel.streams:type=Operator,job=<job>,name=<operator>} and {@code type=Job,job=<job>}).
 */
public final class JobMetricsRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(JobMetricsRegistry.class);

    /** Checkpoint figures. */
    public record CheckpointStats(long completed, long lastId, long lastDurationMs, long lastSizeBytes) {
    }

    /** The JMX view of one operator. */
    public interface OperatorMBean {
        long getRecordsIn();

        long getRecordsOut();

        long getLateEvents();

        long getDeadLettered();

        long getWatermarkMs();

        long getWatermarkLagMs();
    }

    /** The JMX view of the job. */
    public interface JobMBean {
        long getCheckpointsCompleted();

        long getLastCheckpointId();

        long getLastCheckpointDurationMs();

        long getLastCheckpointSizeBytes();
    }

    private final String job;
    private final Clock clock;
    private final Supplier<CheckpointStats> checkpoints;
    private final Map<String, List<OperatorCounters>> counters = new LinkedHashMap<>();
    private final List<ObjectName> registered = new ArrayList<>();

    public JobMetricsRegistry(String job, Clock clock, Supplier<CheckpointStats> checkpoints) {
        this.job = job;
        this.clock = clock;
        this.checkpoints = checkpoints;
    }

    public void add(TaskGraph graph) {
        for (Operator op : graph.operators) {
            counters.computeIfAbsent(op.name(), k -> new ArrayList<>()).add(op.counters());
        }
    }

    public JobMetrics snapshot() {
        Map<String, OperatorMetrics> ops = new LinkedHashMap<>();
        for (String name : counters.keySet()) {
            ops.put(name, operator(name));
        }
        CheckpointStats c = checkpoints.get();
        return new JobMetrics(ops, c.completed(), c.lastId(), c.lastDurationMs(), c.lastSizeBytes());
    }

    private OperatorMetrics operator(String name) {
        long in = 0;
        long out = 0;
        long late = 0;
        long dead = 0;
        long wm = Long.MAX_VALUE;
        for (OperatorCounters c : counters.get(name)) {
            in += c.publishedIn();
            out += c.publishedOut();
            late += c.publishedLate();
            dead += c.publishedDeadLettered();
            wm = Math.min(wm, c.publishedWatermark());
        }
        long lag = wm == Long.MIN_VALUE || wm == Long.MAX_VALUE ? 0 : Math.max(0, clock.millis() - wm);
        return new OperatorMetrics(name, in, out, late, dead, wm, lag);
    }

    /** One INFO line for the job, one DEBUG line per operator. */
    public void log() {
        JobMetrics m = snapshot();
        long dead = 0;
        long late = 0;
        for (OperatorMetrics o : m.operators().values()) {
            dead += o.deadLettered();
            late += o.lateEvents();
        }
        LOG.info("job '{}': checkpoints={} last={} ({} ms, {} bytes) late={} deadLettered={}", job, m.checkpointsCompleted(),
                m.lastCheckpointId(), m.lastCheckpointDurationMs(), m.lastCheckpointSizeBytes(), late, dead);
        if (LOG.isDebugEnabled()) {
            for (OperatorMetrics o : m.operators().values()) {
                LOG.debug("job '{}' operator '{}': in={} out={} late={} deadLettered={} watermarkLagMs={}", job, o.name(),
                        o.recordsIn(), o.recordsOut(), o.lateEvents(), o.deadLettered(), o.watermarkLagMs());
            }
        }
    }

    public void registerJmx(boolean enabled) {
        if (!enabled) {
            return;
        }
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            for (String name : counters.keySet()) {
                ObjectName on = new ObjectName("io.runnel.streams:type=Operator,job=" + ObjectName.quote(job) + ",name="
                        + ObjectName.quote(name));
                OperatorMBean bean = new OperatorMBean() {
                    @Override public long getRecordsIn() { return operator(name).recordsIn(); }
                    @Override public long getRecordsOut() { return operator(name).recordsOut(); }
                    @Override public long getLateEvents() { return operator(name).lateEvents(); }
                    @Override public long getDeadLettered() { return operator(name).deadLettered(); }
                    @Override public long getWatermarkMs() { return operator(name).watermarkMs(); }
                    @Override public long getWatermarkLagMs() { return operator(name).watermarkLagMs(); }
                };
                register(server, on, new StandardMBean(bean, OperatorMBean.class));
            }
            ObjectName jobName = new ObjectName("io.runnel.streams:type=Job,job=" + ObjectName.quote(job));
            JobMBean bean = new JobMBean() {
                @Override public long getCheckpointsCompleted() { return checkpoints.get().completed(); }
                @Override public long getLastCheckpointId() { return checkpoints.get().lastId(); }
                @Override public long getLastCheckpointDurationMs() { return checkpoints.get().lastDurationMs(); }
                @Override public long getLastCheckpointSizeBytes() { return checkpoints.get().lastSizeBytes(); }
            };
            register(server, jobName, new StandardMBean(bean, JobMBean.class));
        } catch (JMException e) {
            LOG.warn("cannot register JMX metrics of job '{}': {}", job, e.toString());
        }
    }

    private void register(MBeanServer server, ObjectName on, Object bean) throws JMException {
        if (server.isRegistered(on)) {
            server.unregisterMBean(on); // a previous run of the same job in this JVM
        }
        server.registerMBean(bean, on);
        registered.add(on);
    }

    public void unregisterJmx() {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        for (ObjectName on : registered) {
            try {
                if (server.isRegistered(on)) {
                    server.unregisterMBean(on);
                }
            } catch (JMException e) {
                LOG.debug("cannot unregister {}: {}", on, e.toString());
            }
        }
        registered.clear();
    }
}
