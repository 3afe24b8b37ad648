package io.runnel.streams.internal.graph;

import io.runnel.streams.StreamsException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Collections;

/**
 * A job's logical plan: every node reachable backwards from the given roots (its sinks), in
 * topological order, each with a stable name. Node ids grow as the plan is built and every node's
 * inputs exist before it, so id order is a topological order.
 *
 * <p>Names: a node's name is the name the user gave it, or its path from its source, e.g.
 * {@code log:page-views/filter/keyBy/tumbling(PT1M).count}; a clash gets {@code #2}, {@code #3}... in
 * plan order. The names key state and sink progress in checkpoints, so the derived ones stay the same
 * as long as the path to the operator does.
 */
public final class Plan {

    private final String jobName;
    private final List<PlanNode> nodes;
    private final Map<PlanNode, List<PlanNode>> children;
    private final Map<PlanNode, String> names;

    private Plan(String jobName, List<PlanNode> nodes, Map<PlanNode, List<PlanNode>> children, Map<PlanNode, String> names) {
        this.jobName = jobName;
        this.nodes = nodes;
        this.children = children;
        this.names = names;
    }

    /** Builds and validates the plan reachable from {@code roots}. */
    public static Plan of(String jobName, List<? extends PlanNode> roots) {
        Set<PlanNode> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<PlanNode> todo = new ArrayDeque<>(roots);
        while (!todo.isEmpty()) {
            PlanNode n = todo.pop();
            if (seen.add(n)) {
                todo.addAll(n.inputs());
            }
        }
        List<PlanNode> nodes = new ArrayList<>(seen);
        nodes.sort(Comparator.comparingInt(PlanNode::id));
        Map<PlanNode, List<PlanNode>> children = new IdentityHashMap<>();
        for (PlanNode n : nodes) {
            children.put(n, new ArrayList<>());
        }
        for (PlanNode n : nodes) {
            for (PlanNode in : n.inputs()) {
                children.get(in).add(n);
            }
        }
        Map<PlanNode, String> names = assignNames(nodes);
        Plan plan = new Plan(jobName, List.copyOf(nodes), children, names);
        plan.validate();
        return plan;
    }

    private static Map<PlanNode, String> assignNames(List<PlanNode> nodes) {
        Map<PlanNode, String> names = new IdentityHashMap<>();
        Map<String, Integer> used = new HashMap<>();
        for (PlanNode n : nodes) {
            if (n.userName() != null) {
                if (used.containsKey(n.userName())) {
                    throw new StreamsException("two operators or sinks are named '" + n.userName()
                            + "'; names must be unique in a job (they key state in checkpoints)");
                }
                used.put(n.userName(), 1);
                names.put(n, n.userName());
            }
        }
        for (PlanNode n : nodes) {
            if (names.containsKey(n)) {
                continue;
            }
            String base = path(n, names);
            int count = used.merge(base, 1, Integer::sum);
            names.put(n, count == 1 ? base : base + "#" + count);
        }
        return names;
    }

    private static String path(PlanNode n, Map<PlanNode, String> names) {
        if (n instanceof SourceNode s) {
            return s.source().name();
        }
        if (n instanceof DeadLettersNode) {
            return "deadLetters";
        }
        String parent = names.get(n.inputs().get(0));
        String segment = n instanceof BranchNode b ? (b.index() < 0 ? "split[unmatched]" : "split[" + b.index() + "]") : n.label();
        return parent + "/" + segment;
    }

    private void validate() {
        Map<String, PlanNode> sources = new HashMap<>();
        Map<String, PlanNode> sinks = new HashMap<>();
        for (PlanNode n : nodes) {
            if (n instanceof SourceNode s) {
                PlanNode other = sources.putIfAbsent(s.source().name(), n);
                if (other != null) {
                    throw new StreamsException("source '" + s.source().name() + "' is read twice in job '" + jobName
                            + "' (two job.source(...) calls or two time strategies); read it once and reuse the handle");
                }
            }
            if (n instanceof SinkNode s) {
                PlanNode other = sinks.putIfAbsent(s.sink().name(), n);
                if (other != null) {
                    throw new StreamsException("two sinks are named '" + s.sink().name() + "' in job '" + jobName
                            + "'; sink names key their progress in checkpoints and must be unique");
                }
            }
        }
        for (PlanNode n : nodes) {
            if (n instanceof DeadLettersNode) {
                checkDeadLetterChain(n);
            }
        }
        if (sinks.isEmpty()) {
            throw new StreamsException("job '" + jobName + "' has no sink: nothing would run; end a stream with .to(sink)");
        }
    }

    private void checkDeadLetterChain(PlanNode n) {
        for (PlanNode c : children.get(n)) {
            if (!(c instanceof TransformNode || c instanceof BranchNode || c instanceof SinkNode)) {
                throw new StreamsException("deadLetters() may only be followed by map, filter, flatMap, peek, split and sinks "
                        + "(dead letters arise in every task), not by " + c.label());
            }
            checkDeadLetterChain(c);
        }
    }

    public String jobName() {
        return jobName;
    }

    /** All nodes in topological order. */
    public List<PlanNode> nodes() {
        return nodes;
    }

    public List<PlanNode> children(PlanNode n) {
        return children.get(n);
    }

    public String name(PlanNode n) {
        return names.get(n);
    }

    /** Whether {@code n} is downstream of the dead-letter output (such nodes run in every task). */
    public boolean isDeadLetterChain(PlanNode n) {
        if (n instanceof DeadLettersNode) {
            return true;
        }
        return !n.inputs().isEmpty() && !(n instanceof MergeNode) && isDeadLetterChain(n.inputs().get(0));
    }

    /** One line per node: id, what it does, its name, its inputs. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        b.append("job '").append(jobName).append("'\n");
        Map<PlanNode, String> shown = new LinkedHashMap<>();
        for (PlanNode n : nodes) {
            b.append("  #").append(n.id()).append(' ').append(n.label());
            if (n.isStateful() || n instanceof SinkNode) {
                b.append("  name=\"").append(names.get(n)).append('"');
            }
            if (!n.inputs().isEmpty()) {
                b.append("  <-");
                for (PlanNode in : n.inputs()) {
                    b.append(" #").append(in.id());
                }
            }
            b.append('\n');
            shown.put(n, names.get(n));
        }
        return b.toString();
    }
}
