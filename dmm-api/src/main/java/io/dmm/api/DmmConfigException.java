package io.dmm.api;

/**
 * A policy file (or stack settings in it) is wrong. The message says where — file, line:column
 * and the JSON path — and what was expected, for example
 * {@code policy.json:12:14: rules[3].dst: "10.0.0.0/33" is not a CIDR: prefix length must be 0..32}.
 * When a policy fails to load, nothing of it is applied.
 */
public class DmmConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
    private final int column;
    private final String path;
    private final String detail;

    /**
     * @param file   the file name (or a description such as {@code "<built-in default>"}); may be null
     * @param line   1-based line, or 0 if unknown
     * @param column 1-based column, or 0 if unknown
     * @param path   JSON path such as {@code rules[3].dst}; may be empty for whole-file problems
     * @param detail what is wrong and what was expected
     */
    public DmmConfigException(String file, int line, int column, String path, String detail) {
        super(format(file, line, column, path, detail));
        this.file = file;
        this.line = line;
        this.column = column;
        this.path = path == null ? "" : path;
        this.detail = detail;
    }

    private static String format(String file, int line, int column, String path, String detail) {
        StringBuilder sb = new StringBuilder();
        if (file != null) {
            sb.append(file);
            if (line > 0) {
                sb.append(':').append(line);
                if (column > 0) {
                    sb.append(':').append(column);
                }
            }
            sb.append(": ");
        }
        if (path != null && !path.isEmpty()) {
            sb.append(path).append(": ");
        }
        return sb.append(detail).toString();
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    public String path() {
        return path;
    }

    public String detail() {
        return detail;
    }
}
