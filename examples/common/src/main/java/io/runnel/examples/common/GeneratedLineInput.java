package io.runnel.examples.common;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Objects;
import java.util.function.Supplier;

/** Lines from a deterministic generator (the demos). */
final class GeneratedLineInput implements LineInput {

    private final String name;
    private final String identity;
    private final Supplier<Iterator<String>> lines;

    GeneratedLineInput(String name, String identity, Supplier<Iterator<String>> lines) {
        this.name = Objects.requireNonNull(name, "name");
        this.identity = Objects.requireNonNull(identity, "identity");
        this.lines = Objects.requireNonNull(lines, "lines");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String identity() {
        return identity;
    }

    @Override
    public void read(LineHandler handler) throws IOException {
        long lineNumber = 0;
        for (Iterator<String> it = lines.get(); it.hasNext(); ) {
            String line = it.next();
            lineNumber++;
            if (!line.isBlank()) {
                byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
                handler.line(lineNumber, bytes, bytes.length, false);
            }
        }
    }
}
