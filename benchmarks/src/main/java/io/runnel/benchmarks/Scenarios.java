package io.runnel.benchmarks;

import io.runnel.benchmarks.connectors.HttpIngestScenario;
import io.runnel.benchmarks.connectors.JdbcSinkScenario;
import io.runnel.benchmarks.examples.WebActivityScenario;
import io.runnel.benchmarks.scenario.LogScenario;
import io.runnel.benchmarks.scenario.StreamsScenario;
import java.util.List;
import java.util.Optional;

/** The scenarios the command knows, in the order of {@code --help} and of the report. */
public final class Scenarios {

    private static final List<Scenario> ALL = List.of(
            new LogScenario(LogScenario.Kind.APPEND),
            new LogScenario(LogScenario.Kind.READ),
            new LogScenario(LogScenario.Kind.LATENCY),
            new StreamsScenario(StreamsScenario.Kind.WINDOW),
            new StreamsScenario(StreamsScenario.Kind.SESSION),
            new JdbcSinkScenario(),
            new HttpIngestScenario(),
            new WebActivityScenario());

    private Scenarios() {}

    public static List<Scenario> all() {
        return ALL;
    }

    public static Optional<Scenario> named(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
