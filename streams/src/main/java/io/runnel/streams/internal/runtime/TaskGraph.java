package io.runnel.streams.internal.runtime;

import io.runnel.streams.internal.graph.PlanNode;
import io.runnel.streams.internal.graph.SourceNode;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The operators of one task, wired: its sources, keyed state, sinks and exchange ends. */
public final class TaskGraph {

    public final TaskContext ctx;
    public final List<Operator> operators = new ArrayList<>();
    public final Map<PlanNode, Operator> byNode = new IdentityHashMap<>();
    public final Map<SourceNode, SourceOperator> sources = new LinkedHashMap<>();
    public final List<KeyedStateful> stateful = new ArrayList<>();
    public final List<SinkOperator> sinks = new ArrayList<>();
    /** Inbound exchange edge id to the operator input it feeds. */
    public final Map<Integer, Collector> inbound = new LinkedHashMap<>();

    TaskGraph(TaskContext ctx) {
        this.ctx = ctx;
    }

    public void open() {
        for (Operator op : operators) {
            op.open(ctx);
        }
    }

    public void publishCounters() {
        for (Operator op : operators) {
            op.counters().publish();
        }
    }

    public void close() {
        RuntimeException first = null;
        for (Operator op : operators) {
            try {
                op.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
