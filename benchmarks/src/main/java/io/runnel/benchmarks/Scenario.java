package io.runnel.benchmarks;

import java.util.List;

/**
 * One benchmark scenario: runs each of its systems on the same generated data, checks their output
 * and reports a {@link BenchResult} per measured variant through the {@link BenchContext}.
 */
public interface Scenario {

    /** The name on the command line and in {@code name=} of the RESULT lines. */
    String name();

    /** One line for {@code --help}. */
    String summary();

    /** The systems this scenario runs, in order ({@code runnel}, {@code kafka}, ...). */
    List<String> systems();

    /**
     * A line the report shows under the scenario's title (e.g. why it has no anchor), or null.
     */
    default String note() {
        return null;
    }

    /**
     * Runs the systems {@code context} includes. Each system runs inside
     * {@link BenchContext#system(String, BenchContext.SystemRun)} so that one failing system does
     * not hide the others' results.
     */
    void run(BenchContext context) throws Exception;
}
