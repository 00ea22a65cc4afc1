package io.platform.e2e.kubectl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One table as {@code kubectl get} prints it: a header line and rows aligned to the header's columns (cells may be
 * empty, and headers may contain single spaces such as {@code ACCESS MODES}), so cells are cut at the header's column
 * offsets.
 */
record KubectlTable(List<String> columns, List<Map<String, String>> rows) {

    private static final Pattern HEADER_CELL = Pattern.compile("\\S+(?: \\S+)*");

    /** Every table of the output of a {@code kubectl get} over several types: one per type, blank-line separated. */
    static List<KubectlTable> parseAll(String output) {
        List<KubectlTable> tables = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (String line : output.split("\n", -1)) {
            if (line.isBlank()) {
                if (!lines.isEmpty()) {
                    tables.add(parse(lines));
                    lines = new ArrayList<>();
                }
            } else {
                lines.add(line);
            }
        }
        if (!lines.isEmpty()) {
            tables.add(parse(lines));
        }
        return tables;
    }

    static KubectlTable parse(List<String> lines) {
        String header = lines.getFirst();
        List<String> columns = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        Matcher matcher = HEADER_CELL.matcher(header);
        while (matcher.find()) {
            columns.add(matcher.group());
            starts.add(matcher.start());
        }
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                int start = Math.min(starts.get(i), line.length());
                int end = i + 1 < starts.size() ? Math.min(starts.get(i + 1), line.length()) : line.length();
                row.put(columns.get(i), line.substring(start, end).trim());
            }
            rows.add(row);
        }
        return new KubectlTable(columns, rows);
    }

    String header() {
        return String.join("|", columns);
    }
}
