package io.runnel.streams.internal.runtime;

/**
 * A runtime operator of one task. The task wires outputs before {@link #open}, then calls inputs
 * from its thread only. Hot methods stay small; errors go through {@link TaskContext#failed}.
 */
public abstract class Operator {

    protected final String name;
    protected final OperatorCounters counters;
    protected Collector output = Collector.NONE;
    protected TaskContext ctx;

    protected Operator(String name) {
        this.name = name;
        this.counters = new OperatorCounters(name);
    }

    public String name() {
        return name;
    }

    public OperatorCounters counters() {
        return counters;
    }

    /** Where results go (a {@link FanOut} when several operators consume them). */
    public void setOutput(Collector out) {
        output = out;
    }

    /**
     * Where side output {@code side} goes (late events); only operators that have one override this.
     * A side output carries the operator's watermark and idleness like the main output: a merge
     * downstream takes the minimum over its inputs, and a task after an exchange ends only when every
     * input's watermark reached +infinity.
     */
    public void setSideOutput(int side, Collector out) {
        throw new IllegalStateException(name + " has no side output " + side);
    }

    public void open(TaskContext context) {
        ctx = context;
    }

    /** Input {@code index} of this operator. */
    public abstract Collector input(int index);

    public void close() {
    }
}
