package io.runnel.streams.internal.runtime;

import io.runnel.streams.Windows;
import io.runnel.streams.KeyedProcessor;
import io.runnel.streams.internal.graph.BranchNode;
import io.runnel.streams.internal.graph.DeadLettersNode;
import io.runnel.streams.internal.graph.IntervalJoinNode;
import io.runnel.streams.internal.graph.KeyByNode;
import io.runnel.streams.internal.graph.LookupJoinNode;
import io.runnel.streams.internal.graph.MergeNode;
import io.runnel.streams.internal.graph.Plan;
import io.runnel.streams.internal.graph.PlanNode;
import io.runnel.streams.internal.graph.ProcessNode;
import io.runnel.streams.internal.graph.SideOutputNode;
import io.runnel.streams.internal.graph.SinkNode;
import io.runnel.streams.internal.graph.SourceNode;
import io.runnel.streams.internal.graph.TableJoinNode;
import io.runnel.streams.internal.graph.TransformNode;
import io.runnel.streams.internal.graph.WindowNode;
import io.runnel.streams.internal.planner.PhysicalPlan;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** Instantiates and wires the operators of one task of one stage. */
public final class TaskGraphBuilder {

    /** What differs between the threaded runtime and the test driver. */
    public interface Hooks {
        /** The operator that writes to (or captures for) a sink. */
        Operator sink(SinkNode node, String name, boolean deadLetterChain);

        /** The sending end of exchange {@code edge} in this task. */
        Collector exchange(PhysicalPlan.Edge edge);

        /** An extra consumer of side output {@code side} of {@code node}, or {@code null}. */
        default Collector sideTap(PlanNode node, int side) {
            return null;
        }

        /** An extra consumer of the dead letters, or {@code null}. */
        default Collector deadLetterTap() {
            return null;
        }
    }

    private TaskGraphBuilder() {
    }

    public static TaskGraph build(PhysicalPlan physical, int stage, TaskContext ctx, Hooks hooks) {
        Plan plan = physical.plan();
        TaskGraph g = new TaskGraph(ctx);
        Map<List<?>, SplitOperator> splits = new IdentityHashMap<>();
        for (PlanNode n : plan.nodes()) {
            if (!physical.runsIn(n, stage)) {
                continue;
            }
            String name = plan.name(n);
            Operator op = create(n, name, plan, splits, hooks);
            if (!g.operators.contains(op)) {
                g.operators.add(op);
            }
            g.byNode.put(n, op);
            if (op instanceof SourceOperator s) {
                g.sources.put((SourceNode) n, s);
            }
            if (op instanceof KeyedStateful k) {
                g.stateful.add(k);
            }
            if (op instanceof SinkOperator s) {
                g.sinks.add(s);
            }
        }
        for (PlanNode n : plan.nodes()) {
            if (physical.runsIn(n, stage)) {
                wire(n, physical, stage, g, hooks);
            }
        }
        List<Collector> dead = new ArrayList<>();
        for (PlanNode n : plan.nodes()) {
            if (n instanceof DeadLettersNode && physical.runsIn(n, stage)) {
                dead.add(g.byNode.get(n).input(0));
            }
        }
        if (hooks.deadLetterTap() != null) {
            dead.add(hooks.deadLetterTap());
        }
        ctx.setDeadLetters(FanOut.of(dead));
        if (stage >= 0 && stage < physical.stages().size()) {
            for (PhysicalPlan.Edge e : physical.stages().get(stage).inputs()) {
                g.inbound.put(e.id(), g.byNode.get(e.to()).input(e.toInput()));
            }
        }
        return g;
    }

    @SuppressWarnings("unchecked") // the plan stores operator functions untyped
    private static Operator create(PlanNode n, String name, Plan plan, Map<List<?>, SplitOperator> splits, Hooks hooks) {
        if (n instanceof SourceNode s) {
            return new SourceOperator(name, s.source().name(), s.time());
        } else if (n instanceof TransformNode t) {
            return TransformOperator.of(name, t);
        } else if (n instanceof BranchNode b) {
            return splits.computeIfAbsent(b.predicates(), p -> new SplitOperator(name.replaceAll("\\[[^\\]]*\\]$", ""), b.predicates()));
        } else if (n instanceof KeyByNode k) {
            return new KeyByOperator(name, k.keyFn());
        } else if (n instanceof MergeNode m) {
            return new MergeOperator(name, m.inputs().size());
        } else if (n instanceof WindowNode w) {
            return w.windows().kind() == Windows.Kind.SESSION
                    ? new SessionWindowOperator(name, w.windows(), w.aggregator())
                    : new AlignedWindowOperator(name, w.windows(), w.aggregator());
        } else if (n instanceof ProcessNode p) {
            KeyedProcessor<Object, Object, Object> processor = p.processor().get();
            if (processor == null) {
                throw new IllegalArgumentException("the processor supplier of '" + name + "' returned null");
            }
            return new ProcessOperator(name, processor, p.ttlMs());
        } else if (n instanceof TableJoinNode t) {
            return new TableJoinOperator(name, t.joiner(), t.leftJoin(), t.ttlMs());
        } else if (n instanceof LookupJoinNode l) {
            return new LookupJoinOperator(name, l.table(), l.joiner(), l.leftJoin());
        } else if (n instanceof IntervalJoinNode j) {
            return new IntervalJoinOperator(name, j.withinMs(), j.latenessMs(), j.joiner());
        } else if (n instanceof SideOutputNode || n instanceof DeadLettersNode) {
            return new PassThroughOperator(name);
        } else if (n instanceof SinkNode s) {
            return hooks.sink(s, name, plan.isDeadLetterChain(n));
        }
        throw new IllegalStateException("unknown plan node " + n);
    }

    private static void wire(PlanNode n, PhysicalPlan physical, int stage, TaskGraph g, Hooks hooks) {
        Plan plan = physical.plan();
        Operator op = g.byNode.get(n);
        List<Collector> consumers = new ArrayList<>();
        Map<Integer, List<Collector>> sides = new java.util.TreeMap<>();
        List<Operator> splitsAdded = new ArrayList<>();
        for (PlanNode c : plan.children(n)) {
            if (c instanceof SideOutputNode s) {
                sides.computeIfAbsent(s.side(), k -> new ArrayList<>()).add(g.byNode.get(c).input(0));
                continue;
            }
            if (physical.runsIn(c, stage)) {
                Operator target = g.byNode.get(c);
                if (c instanceof BranchNode) {
                    if (!splitsAdded.contains(target)) {
                        splitsAdded.add(target);
                        consumers.add(target.input(0));
                    }
                    continue;
                }
                for (int i = 0; i < c.inputs().size(); i++) {
                    if (c.inputs().get(i) == n) {
                        consumers.add(target.input(i));
                    }
                }
            } else {
                for (PhysicalPlan.Edge e : physical.edges()) {
                    if (e.from() == n && e.to() == c) {
                        consumers.add(hooks.exchange(e));
                    }
                }
            }
        }
        if (n instanceof KeyByNode) {
            ((KeyByOperator) op).setConsumers(consumers);
        } else if (n instanceof BranchNode b) {
            ((SplitOperator) op).setBranch(b.index(), FanOut.of(consumers));
        } else {
            op.setOutput(FanOut.of(consumers));
        }
        int sideCount = n instanceof WindowNode ? 1 : n instanceof IntervalJoinNode ? 2 : 0;
        for (int side = 0; side < sideCount; side++) {
            List<Collector> cs = sides.getOrDefault(side, new ArrayList<>());
            Collector tap = hooks.sideTap(n, side);
            if (tap != null) {
                cs.add(tap);
            }
            op.setSideOutput(side, FanOut.of(cs));
        }
    }
}
