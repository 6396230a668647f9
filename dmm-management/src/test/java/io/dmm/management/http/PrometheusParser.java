package io.dmm.management.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test helper: a strict reader of Prometheus text exposition format 0.0.4, independent of the
 * writer. It rejects what a Prometheus server would: bad names, bad escapes, a TYPE line after the
 * family's samples or twice, samples of a family split by another family, duplicate series.
 */
public final class PrometheusParser {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "untyped", "summary", "histogram");

    public record Sample(String name, Map<String, String> labels, double value) {
    }

    public record Exposition(Map<String, String> types, Map<String, String> help, List<Sample> samples) {
        /** The value of the one sample of {@code name} whose labels include {@code labels} (name, value pairs). */
        public double value(String name, String... labels) {
            List<Sample> found = find(name, labels);
            if (found.size() != 1) {
                throw new AssertionError(found.size() + " samples of " + name + " with " + List.of(labels) + ": " + found);
            }
            return found.get(0).value();
        }

        public List<Sample> find(String name, String... labels) {
            List<Sample> out = new ArrayList<>();
            for (Sample s : samples) {
                if (!s.name().equals(name)) {
                    continue;
                }
                boolean all = true;
                for (int i = 0; i < labels.length; i += 2) {
                    all &= labels[i + 1].equals(s.labels().get(labels[i]));
                }
                if (all) {
                    out.add(s);
                }
            }
            return out;
        }
    }

    private PrometheusParser() {
    }

    public static Exposition parse(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("the exposition must end with a line feed");
        }
        Map<String, String> types = new LinkedHashMap<>();
        Map<String, String> help = new HashMap<>();
        List<Sample> samples = new ArrayList<>();
        Set<String> series = new HashSet<>();
        Set<String> finished = new HashSet<>();
        Set<String> sampled = new HashSet<>();
        String currentFamily = null;
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            String where = "line " + lineNo + ": " + line;
            if (line.startsWith("#")) {
                String[] parts = line.split(" ", 4);
                if (parts.length >= 3 && (parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
                    String name = parts[2];
                    require(NAME.matcher(name).matches(), "bad metric name", where);
                    String rest = parts.length == 4 ? parts[3] : "";
                    if (parts[1].equals("TYPE")) {
                        require(TYPES.contains(rest), "bad type", where);
                        require(!types.containsKey(name), "TYPE given twice", where);
                        require(!sampled.contains(name), "TYPE after the family's samples", where);
                        types.put(name, rest);
                    } else {
                        require(!help.containsKey(name), "HELP given twice", where);
                        help.put(name, unescape(rest, false, where));
                    }
                    if (!name.equals(currentFamily)) {
                        require(!finished.contains(name), "family split in two blocks", where);
                        if (currentFamily != null) {
                            finished.add(currentFamily);
                        }
                        currentFamily = name;
                    }
                }
                continue;
            }
            Sample s = sample(line, where);
            String family = family(s.name(), types);
            require(types.containsKey(family), "sample without a TYPE line", where);
            require(family.equals(currentFamily), "sample outside its family's block", where);
            require(series.add(s.name() + s.labels()), "duplicate series", where);
            sampled.add(family);
            samples.add(s);
        }
        return new Exposition(types, help, samples);
    }

    private static String family(String name, Map<String, String> types) {
        if (types.containsKey(name)) {
            return name;
        }
        for (String suffix : List.of("_bucket", "_sum", "_count")) {
            if (name.endsWith(suffix)) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return name;
    }

    private static Sample sample(String line, String where) {
        Matcher m = NAME.matcher(line);
        require(m.lookingAt(), "bad sample name", where);
        String name = m.group();
        int i = m.end();
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                Matcher ln = LABEL_NAME.matcher(line).region(i, line.length());
                require(ln.lookingAt(), "bad label name", where);
                String label = ln.group();
                i = ln.end();
                require(line.startsWith("=\"", i), "expected =\" after label " + label, where);
                i += 2;
                StringBuilder raw = new StringBuilder();
                while (line.charAt(i) != '"') {
                    if (line.charAt(i) == '\\') {
                        raw.append(line.charAt(i)).append(line.charAt(i + 1));
                        i += 2;
                    } else {
                        raw.append(line.charAt(i++));
                    }
                }
                i++;
                require(labels.put(label, unescape(raw.toString(), true, where)) == null, "label twice", where);
                if (line.charAt(i) == ',') {
                    i++;
                } else {
                    require(line.charAt(i) == '}', "expected , or }", where);
                }
            }
            i++;
        }
        require(i < line.length() && line.charAt(i) == ' ', "expected a space before the value", where);
        String[] rest = line.substring(i + 1).split(" ");
        require(rest.length == 1 || rest.length == 2, "expected value [timestamp]", where);
        double value = switch (rest[0]) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> {
                require(rest[0].matches("[-+]?[0-9]*\\.?[0-9]+([eE][-+]?[0-9]+)?"), "bad value", where);
                yield Double.parseDouble(rest[0]);
            }
        };
        return new Sample(name, labels, value);
    }

    private static String unescape(String s, boolean quoteAllowed, String where) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n') {
                throw new IllegalArgumentException("raw line feed: " + where);
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            require(i + 1 < s.length(), "dangling backslash", where);
            char e = s.charAt(++i);
            switch (e) {
                case '\\' -> sb.append('\\');
                case 'n' -> sb.append('\n');
                case '"' -> {
                    require(quoteAllowed, "\\\" in HELP", where);
                    sb.append('"');
                }
                default -> throw new IllegalArgumentException("bad escape \\" + e + ": " + where);
            }
        }
        return sb.toString();
    }

    private static void require(boolean ok, String what, String where) {
        if (!ok) {
            throw new IllegalArgumentException(what + ": " + where);
        }
    }
}
