package io.platform.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The run's one table (Markdown, so it pastes into the README), the target line, and why rows are empty. */
final class ResultTable {

    /** The target of issue 4: the API reaches at least this share of the raw store's write throughput. */
    static final double TARGET_PERCENT = 50;

    static final List<String> COLUMNS =
            List.of("backend", "store writes/s", "API creates/s", "API/store %", "API p50 ms", "API p99 ms");

    private ResultTable() {}

    static String render(List<BackendResult> results) {
        List<List<String>> rows = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<String> met = new ArrayList<>();
        List<String> missed = new ArrayList<>();
        for (BackendResult result : results) {
            String name = result.backend().label();
            switch (result) {
                case BackendResult.Measured measured -> {
                    rows.add(List.of(name, number(measured.store().perSecond(), 0), number(measured.api().perSecond(), 0),
                            number(measured.apiPercentOfStore(), 1), number(measured.api().p50Millis(), 2),
                            number(measured.api().p99Millis(), 2)));
                    String share = name + " (" + number(measured.apiPercentOfStore(), 1) + " %)";
                    (measured.apiPercentOfStore() >= TARGET_PERCENT ? met : missed).add(share);
                    if (measured.store().errors() + measured.api().errors() > 0) {
                        notes.add(name + ": " + measured.store().errors() + " store and " + measured.api().errors()
                                + " API errors in the window, first: "
                                + (measured.store().firstError() != null ? measured.store().firstError()
                                        : measured.api().firstError()));
                    }
                }
                case BackendResult.Skipped skipped -> {
                    rows.add(List.of(name, "skipped", "-", "-", "-", "-"));
                    notes.add(name + " skipped: " + skipped.reason());
                }
                case BackendResult.Failed failed -> {
                    rows.add(List.of(name, "failed", "-", "-", "-", "-"));
                    notes.add(name + " failed: " + failed.reason());
                }
            }
        }
        StringBuilder table = new StringBuilder();
        int[] widths = widths(rows);
        line(table, COLUMNS, widths);
        StringBuilder rule = new StringBuilder("|");
        for (int i = 0; i < widths.length; i++) {
            rule.append(i == 0 ? "-" + "-".repeat(widths[i]) + "-|" : "-" + "-".repeat(widths[i]) + ":|");
        }
        table.append(rule).append('\n');
        rows.forEach(row -> line(table, row, widths));
        table.append('\n').append("target: API creates/s >= ").append(number(TARGET_PERCENT, 0))
                .append(" % of the raw store's writes/s; met: ").append(met.isEmpty() ? "none" : String.join(", ", met))
                .append("; missed: ").append(missed.isEmpty() ? "none" : String.join(", ", missed)).append('\n');
        notes.forEach(note -> table.append(note).append('\n'));
        return table.toString();
    }

    private static int[] widths(List<List<String>> rows) {
        int[] widths = COLUMNS.stream().mapToInt(String::length).toArray();
        for (List<String> row : rows) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        return widths;
    }

    private static void line(StringBuilder table, List<String> cells, int[] widths) {
        table.append('|');
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            String pad = " ".repeat(widths[i] - cell.length());
            table.append(' ').append(i == 0 ? cell + pad : pad + cell).append(" |");
        }
        table.append('\n');
    }

    private static String number(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
