package io.runnel.connectors.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runnel.streams.connect.SinkWriter;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Buffers up to a block of rows, then prints them as an aligned table. A record that is not an
 * object (a number, a string) is one column named {@code value}.
 */
final class TableConsoleWriter<T> implements SinkWriter<T> {
    private static final byte[] NOTHING = new byte[0];
    private static final int MAX_CELL = 60;

    private final PrintStream out;
    private final int rowsPerBlock;
    private final List<JsonNode> rows = new ArrayList<>();

    TableConsoleWriter(PrintStream out, int rowsPerBlock) {
        this.out = out;
        this.rowsPerBlock = rowsPerBlock;
    }

    @Override
    public void write(T record) {
        rows.add(ConsoleSink.JSON.valueToTree(record));
        if (rows.size() >= rowsPerBlock) {
            printBlock();
        }
    }

    @Override
    public byte[] prepareCommit(long checkpointId) {
        printBlock();
        return NOTHING;
    }

    @Override
    public void commit(long checkpointId, byte[] committable) {
        // printed at prepareCommit: nothing to publish
    }

    @Override
    public void close() {
        printBlock();
    }

    private void printBlock() {
        if (rows.isEmpty()) {
            return;
        }
        Set<String> columns = new LinkedHashSet<>();
        for (JsonNode row : rows) {
            if (row instanceof ObjectNode object) {
                object.fieldNames().forEachRemaining(columns::add);
            } else {
                columns.add("value");
            }
        }
        List<String> header = List.copyOf(columns);
        List<List<String>> cells = new ArrayList<>();
        int[] widths = header.stream().mapToInt(String::length).toArray();
        for (JsonNode row : rows) {
            List<String> line = new ArrayList<>(header.size());
            for (int c = 0; c < header.size(); c++) {
                String cell = cell(row, header.get(c));
                widths[c] = Math.max(widths[c], cell.length());
                line.add(cell);
            }
            cells.add(line);
        }
        StringBuilder block = new StringBuilder();
        appendLine(block, header, widths);
        StringBuilder rule = new StringBuilder();
        for (int c = 0; c < widths.length; c++) {
            rule.append(c == 0 ? "" : "-+-").append("-".repeat(widths[c]));
        }
        block.append(rule).append(System.lineSeparator());
        for (List<String> line : cells) {
            appendLine(block, line, widths);
        }
        out.print(block);
        out.flush();
        rows.clear();
    }

    private static void appendLine(StringBuilder block, List<String> cells, int[] widths) {
        for (int c = 0; c < cells.size(); c++) {
            block.append(c == 0 ? "" : " | ").append(pad(cells.get(c), widths[c]));
        }
        block.append(System.lineSeparator());
    }

    private static String pad(String cell, int width) {
        return cell + " ".repeat(width - cell.length());
    }

    private static String cell(JsonNode row, String column) {
        JsonNode value = row instanceof ObjectNode ? row.get(column) : ("value".equals(column) ? row : null);
        if (value == null || value.isNull()) {
            return "";
        }
        String text = value.isValueNode() ? value.asText() : value.toString();
        text = text.replace('\n', ' ').replace('\r', ' ');
        return text.length() > MAX_CELL ? text.substring(0, MAX_CELL - 1) + "…" : text;
    }
}
