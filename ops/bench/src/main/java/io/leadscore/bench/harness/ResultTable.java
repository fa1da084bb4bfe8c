package io.leadscore.bench.harness;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** A scenario's figures: printed aligned for a terminal and as Markdown for {@code RESULTS.md}. */
public final class ResultTable {

    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    public ResultTable(String... headers) {
        this.headers = List.of(headers);
    }

    public ResultTable row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("a row needs " + headers.size() + " cells, not " + cells.length);
        }
        List<String> row = new ArrayList<>(cells.length);
        for (Object cell : cells) {
            row.add(String.valueOf(cell));
        }
        rows.add(row);
        return this;
    }

    public void print(PrintStream out) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        out.println(aligned(headers, widths));
        rows.forEach(row -> out.println(aligned(row, widths)));
        out.flush();
    }

    private static String aligned(List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            line.append(i == 0 ? "" : "  ").append(cells.get(i));
            if (i < cells.size() - 1) {
                line.append(" ".repeat(widths[i] - cells.get(i).length()));
            }
        }
        return line.toString();
    }

    public String markdown() {
        StringBuilder text = new StringBuilder();
        text.append("| ").append(String.join(" | ", headers)).append(" |\n");
        text.append("|").append("---|".repeat(headers.size())).append('\n');
        rows.forEach(row -> text.append("| ").append(String.join(" | ", row)).append(" |\n"));
        return text.toString();
    }
}
