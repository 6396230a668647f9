package io.dmm.core.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import io.dmm.api.DmmConfigException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads JSON text into a {@link LocatedValue} tree with Jackson's streaming parser. Comments
 * ({@code /* *}{@code /} and {@code //}) and trailing commas are accepted because FD.io DMM's own
 * configuration files use them; duplicate keys are rejected (naming both places), and so is
 * anything after the top-level value.
 */
final class LocatedJsonParser {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
            .build();

    private final String file;
    private final JsonParser parser;

    private LocatedJsonParser(String file, JsonParser parser) {
        this.file = file;
        this.parser = parser;
    }

    /** Parses {@code text}; {@code file} names it in error messages. */
    static LocatedValue parse(String text, String file) {
        try (JsonParser p = FACTORY.createParser(text)) {
            LocatedJsonParser reader = new LocatedJsonParser(file, p);
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new DmmConfigException(file, 1, 1, "", "the file is empty: expected a JSON object");
            }
            LocatedValue root = reader.value("", 0, 0);
            if (p.nextToken() != null) {
                JsonLocation l = p.currentTokenLocation();
                throw new DmmConfigException(file, l.getLineNr(), l.getColumnNr(), "",
                        "unexpected content after the end of the top-level value");
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            throw new DmmConfigException(file, l == null ? 0 : l.getLineNr(), l == null ? 0 : l.getColumnNr(), "",
                    "invalid JSON: " + conciseMessage(e));
        } catch (IOException e) {
            throw new DmmConfigException(file, 0, 0, "", "cannot read: " + e.getMessage());
        }
    }

    /** Jackson's message without its appended source excerpt. */
    private static String conciseMessage(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** The value at the current token; {@code keyLine/keyColumn} locate its key (0: none). */
    private LocatedValue value(String path, int keyLine, int keyColumn) throws IOException {
        JsonLocation loc = parser.currentTokenLocation();
        int line = loc.getLineNr();
        int col = loc.getColumnNr();
        int kl = keyLine == 0 ? line : keyLine;
        int kc = keyLine == 0 ? col : keyColumn;
        JsonToken t = parser.currentToken();
        return switch (t) {
            case START_OBJECT -> object(path, line, col, kl, kc);
            case START_ARRAY -> array(path, line, col, kl, kc);
            case VALUE_STRING -> scalar(LocatedValue.Kind.STRING, parser.getText(), path, line, col, kl, kc);
            case VALUE_NUMBER_INT -> scalar(LocatedValue.Kind.INTEGER,
                    LocatedValue.integer(parser.getBigIntegerValue()), path, line, col, kl, kc);
            case VALUE_NUMBER_FLOAT -> scalar(LocatedValue.Kind.DECIMAL, parser.getDoubleValue(), path, line, col,
                    kl, kc);
            case VALUE_TRUE, VALUE_FALSE -> scalar(LocatedValue.Kind.BOOLEAN, t == JsonToken.VALUE_TRUE, path, line,
                    col, kl, kc);
            case VALUE_NULL -> scalar(LocatedValue.Kind.NULL, null, path, line, col, kl, kc);
            default -> throw new DmmConfigException(file, line, col, path, "unexpected JSON token " + t);
        };
    }

    private LocatedValue scalar(LocatedValue.Kind kind, Object v, String path, int line, int col, int kl, int kc) {
        return new LocatedValue(kind, v, null, null, file, path, line, col, kl, kc);
    }

    private LocatedValue object(String path, int line, int col, int kl, int kc) throws IOException {
        Map<String, LocatedValue> members = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            JsonLocation keyLoc = parser.currentTokenLocation();
            LocatedValue earlier = members.get(key);
            if (earlier != null) {
                throw new DmmConfigException(file, keyLoc.getLineNr(), keyLoc.getColumnNr(), path,
                        "duplicate key \"" + key + "\" (first at line " + earlier.keyLine() + ":"
                                + earlier.keyColumn() + ")");
            }
            parser.nextToken();
            members.put(key, value(path.isEmpty() ? key : path + "." + key, keyLoc.getLineNr(),
                    keyLoc.getColumnNr()));
        }
        return new LocatedValue(LocatedValue.Kind.OBJECT, null, members, null, file, path, line, col, kl, kc);
    }

    private LocatedValue array(String path, int line, int col, int kl, int kc) throws IOException {
        List<LocatedValue> elements = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            elements.add(value(path + "[" + elements.size() + "]", 0, 0));
        }
        return new LocatedValue(LocatedValue.Kind.ARRAY, null, null, elements, file, path, line, col, kl, kc);
    }
}
