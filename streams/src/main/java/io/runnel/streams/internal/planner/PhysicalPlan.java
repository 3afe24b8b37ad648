package io.runnel.streams.internal.planner;

import io.runnel.streams.internal.graph.IntervalJoinNode;
import io.runnel.streams.internal.graph.KeyByNode;
import io.runnel.streams.internal.graph.Plan;
import io.runnel.streams.internal.graph.PlanNode;
import io.runnel.streams.internal.graph.ProcessNode;
import io.runnel.streams.internal.graph.SourceNode;
import io.runnel.streams.internal.graph.TableJoinNode;
import io.runnel.streams.internal.graph.WindowNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a plan runs: its nodes cut into stages, each stage a chain of fused operators that runs as
 * {@code parallelism} tasks (one thread each), and the exchanges between stages.
 *
 * <ul>
 *   <li>Stage 0 reads every source; source splits are spread over its tasks.</li>
 *   <li>A keyed stateful operator (window, process, table join, stream-stream join) starts a new stage
 *       fed through a keyed exchange, so each key reaches the task owning its key group.</li>
 *   <li>A node whose inputs are in different stages starts a new stage fed by forward exchanges.</li>
 *   <li>Everything else is fused into the stage of its input: no handoff per operator.</li>
 *   <li>With parallelism 1 every keyBy is local and the whole plan is one stage.</li>
 *   <li>The dead-letter chain runs in every stage (stage -1).</li>
 * </ul>
 */
public final class PhysicalPlan {

    /** An exchange from {@code from} (in {@code fromStage}) into input {@code toInput} of {@code to}. */
    public record Edge(int id, PlanNode from, int fromStage, PlanNode to, int toInput, int toStage, boolean keyed) {
    }

    /** One stage: its nodes in topological order and its inbound and outbound exchanges. */
    public record Stage(int index, List<PlanNode> nodes, List<Edge> inputs, List<Edge> outputs) {
    }

    /** Stage index of the nodes that run in every stage (the dead-letter chain). */
    public static final int EVERY_STAGE = -1;

    private final Plan plan;
    private final int parallelism;
    private final Map<PlanNode, Integer> stageOf;
    private final List<Stage> stages;
    private final List<Edge> edges;

    private PhysicalPlan(Plan plan, int parallelism, Map<PlanNode, Integer> stageOf, List<Stage> stages, List<Edge> edges) {
        this.plan = plan;
        this.parallelism = parallelism;
        this.stageOf = stageOf;
        this.stages = stages;
        this.edges = edges;
    }

    public static PhysicalPlan of(Plan plan, int parallelism) {
        Map<PlanNode, Integer> stageOf = new IdentityHashMap<>();
        int stageCount = 1;
        for (PlanNode n : plan.nodes()) {
            int s;
            if (plan.isDeadLetterChain(n)) {
                s = EVERY_STAGE;
            } else if (n instanceof SourceNode) {
                s = 0;
            } else if (parallelism > 1 && isKeyedStateful(n)) {
                s = stageCount++;
            } else {
                Set<Integer> inputs = new HashSet<>();
                for (PlanNode in : n.inputs()) {
                    inputs.add(stageOf.get(in));
                }
                s = inputs.size() == 1 ? inputs.iterator().next() : stageCount++;
            }
            stageOf.put(n, s);
        }
        List<Edge> edges = new ArrayList<>();
        List<List<PlanNode>> nodes = new ArrayList<>();
        for (int i = 0; i < stageCount; i++) {
            nodes.add(new ArrayList<>());
        }
        for (PlanNode n : plan.nodes()) {
            int s = stageOf.get(n);
            if (s == EVERY_STAGE) {
                continue;
            }
            nodes.get(s).add(n);
            for (int i = 0; i < n.inputs().size(); i++) {
                PlanNode in = n.inputs().get(i);
                int from = stageOf.get(in);
                if (from != s) {
                    edges.add(new Edge(edges.size(), in, from, n, i, s, in instanceof KeyByNode));
                }
            }
        }
        List<Stage> stages = new ArrayList<>();
        for (int i = 0; i < stageCount; i++) {
            List<Edge> ins = new ArrayList<>();
            List<Edge> outs = new ArrayList<>();
            for (Edge e : edges) {
                if (e.toStage() == i) {
                    ins.add(e);
                }
                if (e.fromStage() == i) {
                    outs.add(e);
                }
            }
            stages.add(new Stage(i, List.copyOf(nodes.get(i)), List.copyOf(ins), List.copyOf(outs)));
        }
        return new PhysicalPlan(plan, parallelism, stageOf, List.copyOf(stages), List.copyOf(edges));
    }

    private static boolean isKeyedStateful(PlanNode n) {
        return n instanceof WindowNode || n instanceof ProcessNode || n instanceof TableJoinNode || n instanceof IntervalJoinNode;
    }

    public Plan plan() {
        return plan;
    }

    public int parallelism() {
        return parallelism;
    }

    public List<Stage> stages() {
        return stages;
    }

    public List<Edge> edges() {
        return edges;
    }

    /** The stage of {@code n}, or {@link #EVERY_STAGE}. */
    public int stageOf(PlanNode n) {
        return stageOf.get(n);
    }

    /** Whether {@code n} runs in {@code stage}. */
    public boolean runsIn(PlanNode n, int stage) {
        int s = stageOf.get(n);
        return s == stage || s == EVERY_STAGE;
    }

    public String describe() {
        StringBuilder b = new StringBuilder();
        b.append("runs as ").append(stages.size()).append(stages.size() == 1 ? " stage" : " stages").append(" x ")
                .append(parallelism).append(parallelism == 1 ? " task" : " tasks").append('\n');
        for (Stage s : stages) {
            b.append("  stage ").append(s.index()).append(':');
            for (PlanNode n : s.nodes()) {
                b.append(" #").append(n.id());
            }
            for (Edge e : s.inputs()) {
                b.append("  [#").append(e.from().id()).append(" -> #").append(e.to().id())
                        .append(e.keyed() ? " exchange by key]" : " forward exchange]");
            }
            b.append('\n');
        }
        return b.toString();
    }
}
