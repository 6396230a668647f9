package io.dmm.management.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.dmm.api.DmmConfigException;
import io.dmm.api.DmmStats;
import io.dmm.api.PolicyStatus;
import io.dmm.api.RuleStats;
import io.dmm.api.SocketInfo;
import io.dmm.api.StackStats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The endpoint's JSON documents, written with Jackson's streaming generator. Field names follow the
 * Java API's records ({@link PolicyStatus}, {@link StackStats}, {@link RuleStats},
 * {@link SocketInfo}); times are ISO-8601 UTC strings, addresses {@code ip:port} strings.
 */
final class JsonViews {
    private static final JsonFactory JSON = new JsonFactory();

    private JsonViews() {
    }

    /** Writes one document. */
    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static byte[] document(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        out.write('\n');
        return out.toByteArray();
    }

    static byte[] status(PolicyStatus s) {
        return document(g -> writeStatus(g, s));
    }

    static byte[] stacks(DmmStats stats) {
        return document(g -> {
            g.writeStartObject();
            g.writeNumberField("policyVersion", stats.policyVersion());
            writeStacks(g, stats.stacks());
            g.writeEndObject();
        });
    }

    static byte[] stack(StackStats s) {
        return document(g -> writeStack(g, s));
    }

    static byte[] rules(DmmStats stats) {
        return document(g -> {
            g.writeStartObject();
            g.writeNumberField("policyVersion", stats.policyVersion());
            writeRules(g, stats.rules());
            g.writeEndObject();
        });
    }

    static byte[] stats(DmmStats stats) {
        return document(g -> {
            g.writeStartObject();
            g.writeNumberField("policyVersion", stats.policyVersion());
            writeStacks(g, stats.stacks());
            writeRules(g, stats.rules());
            g.writeEndObject();
        });
    }

    static byte[] sockets(List<SocketInfo> sockets) {
        return document(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("sockets");
            for (SocketInfo s : sockets) {
                writeSocket(g, s);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /** A rejected policy: where (file, line, column, JSON path) and what, as the start-up error says it. */
    static byte[] configError(int status, DmmConfigException e) {
        return document(g -> {
            g.writeStartObject();
            g.writeNumberField("status", status);
            g.writeStringField("error", e.getMessage());
            g.writeStringField("file", e.file());
            g.writeNumberField("line", e.line());
            g.writeNumberField("column", e.column());
            g.writeStringField("path", e.path());
            g.writeStringField("detail", e.detail());
            g.writeEndObject();
        });
    }

    static byte[] error(int status, String message) {
        return document(g -> {
            g.writeStartObject();
            g.writeNumberField("status", status);
            g.writeStringField("error", message == null ? "" : message);
            g.writeEndObject();
        });
    }

    private static void writeStatus(JsonGenerator g, PolicyStatus s) throws IOException {
        g.writeStartObject();
        g.writeNumberField("version", s.version());
        g.writeStringField("origin", s.origin());
        g.writeStringField("file", s.file());
        writeInstant(g, "appliedAt", s.appliedAt());
        g.writeNumberField("rules", s.rules());
        g.writeNumberField("stacks", s.stacks());
        PolicyStatus.Change c = s.lastChange();
        if (c == null) {
            g.writeNullField("lastChange");
        } else {
            g.writeObjectFieldStart("lastChange");
            writeInstant(g, "at", c.at());
            g.writeStringField("trigger", c.trigger());
            g.writeBooleanField("applied", c.applied());
            g.writeNumberField("version", c.version());
            g.writeStringField("error", c.error());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void writeStacks(JsonGenerator g, List<StackStats> stacks) throws IOException {
        g.writeArrayFieldStart("stacks");
        for (StackStats s : stacks) {
            writeStack(g, s);
        }
        g.writeEndArray();
    }

    private static void writeStack(JsonGenerator g, StackStats s) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", s.name());
        g.writeStringField("type", s.type());
        g.writeStringField("health", s.health());
        g.writeStringField("healthDetail", s.healthDetail());
        g.writeStringField("admin", s.admin());
        g.writeNumberField("decisions", s.decisions());
        g.writeNumberField("socketsOpened", s.socketsOpened());
        g.writeNumberField("socketsActive", s.socketsActive());
        g.writeNumberField("connectsOk", s.connectsOk());
        g.writeNumberField("connectsFailed", s.connectsFailed());
        g.writeNumberField("bytesIn", s.bytesIn());
        g.writeNumberField("bytesOut", s.bytesOut());
        g.writeObjectFieldStart("stackCounters");
        for (Map.Entry<String, Long> e : new TreeMap<>(s.stackCounters()).entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void writeRules(JsonGenerator g, List<RuleStats> rules) throws IOException {
        g.writeArrayFieldStart("rules");
        for (RuleStats r : rules) {
            g.writeStartObject();
            g.writeNumberField("index", r.index());
            g.writeStringField("source", r.source());
            g.writeStringField("rule", r.rule());
            g.writeArrayFieldStart("stacks");
            for (String s : r.stacks()) {
                g.writeString(s);
            }
            g.writeEndArray();
            g.writeNumberField("hits", r.decisions());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void writeSocket(JsonGenerator g, SocketInfo s) throws IOException {
        g.writeStartObject();
        g.writeNumberField("id", s.id());
        g.writeStringField("stack", s.stack());
        g.writeStringField("protocol", s.protocol() == null ? null : s.protocol().name());
        g.writeStringField("kind", s.kind());
        g.writeStringField("local", address(s.local()));
        g.writeStringField("remote", address(s.remote()));
        g.writeStringField("state", s.state());
        g.writeNumberField("bytesIn", s.bytesIn());
        g.writeNumberField("bytesOut", s.bytesOut());
        writeInstant(g, "opened", s.opened());
        g.writeNumberField("policyVersion", s.policyVersion());
        g.writeStringField("rule", s.rule());
        g.writeEndObject();
    }

    private static void writeInstant(JsonGenerator g, String name, Instant t) throws IOException {
        g.writeStringField(name, t == null ? null : t.toString());
    }

    /** {@code 127.0.0.1:80}, {@code [::1]:80}, or null. */
    static String address(InetSocketAddress a) {
        if (a == null) {
            return null;
        }
        String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
