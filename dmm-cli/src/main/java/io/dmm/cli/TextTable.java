package io.dmm.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Columns aligned for reading: each as wide as its widest cell, numbers right-aligned, the last
 * column left unpadded (it may be long: a rule's text, a health detail).
 */
final class TextTable {
    private final String[] headers;
    private final List<Object[]> rows = new ArrayList<>();

    TextTable(String... headers) {
        this.headers = headers;
    }

    TextTable row(Object... cells) {
        if (cells.length != headers.length) {
            throw new IllegalArgumentException(cells.length + " cells for " + headers.length + " columns");
        }
        rows.add(cells);
        return this;
    }

    String render() {
        int[] width = new int[headers.length];
        boolean[] numeric = new boolean[headers.length];
        for (int c = 0; c < headers.length; c++) {
            width[c] = headers[c].length();
            numeric[c] = !rows.isEmpty();
        }
        for (Object[] r : rows) {
            for (int c = 0; c < r.length; c++) {
                width[c] = Math.max(width[c], text(r[c]).length());
                numeric[c] &= r[c] == null || r[c] instanceof Number; // "-" for no value keeps a number column
            }
        }
        StringBuilder sb = new StringBuilder();
        append(sb, headers, width, numeric);
        for (Object[] r : rows) {
            append(sb, r, width, numeric);
        }
        return sb.toString();
    }

    private static void append(StringBuilder sb, Object[] cells, int[] width, boolean[] numeric) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.length; c++) {
            String t = text(cells[c]);
            boolean last = c == cells.length - 1;
            if (c > 0) {
                line.append("  ");
            }
            if (numeric[c]) {
                line.append(" ".repeat(width[c] - t.length())).append(t);
            } else {
                line.append(t);
                if (!last) {
                    line.append(" ".repeat(width[c] - t.length()));
                }
            }
        }
        sb.append(line.toString().stripTrailing()).append('\n');
    }

    private static String text(Object o) {
        return o == null ? "-" : o.toString();
    }
}
