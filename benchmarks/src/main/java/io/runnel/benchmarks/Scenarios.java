package io.runnel.benchmarks;

import io.runnel.benchmarks.connectors.HttpIngestScenario;
import io.runnel.benchmarks.connectors.JdbcSinkScenario;
import io.runnel.benchmarks.scenario.LogScenario;
import io.runnel.benchmarks.scenario.StreamsScenario;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The scenarios the command knows, and those later issues will add. */
public final class Scenarios {

    private static final List<Scenario> ALL = List.of(
            new LogScenario(LogScenario.Kind.APPEND),
            new LogScenario(LogScenario.Kind.READ),
            new LogScenario(LogScenario.Kind.LATENCY),
            new StreamsScenario(StreamsScenario.Kind.WINDOW),
            new StreamsScenario(StreamsScenario.Kind.SESSION),
            new JdbcSinkScenario(),
            new HttpIngestScenario());

    private static final Map<String, String> PLANNED = plan();

    private Scenarios() {}

    public static List<Scenario> all() {
        return ALL;
    }

    public static Optional<Scenario> named(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** Scenarios that are named in the issues but not built yet, with where they come from. */
    public static Map<String, String> planned() {
        return PLANNED;
    }

    private static Map<String, String> plan() {
        Map<String, String> planned = new LinkedHashMap<>();
        planned.put("web-activity", "10^6 events from a file through the log, the job and SQLite (issue 5)");
        return Collections.unmodifiableMap(planned);
    }
}
