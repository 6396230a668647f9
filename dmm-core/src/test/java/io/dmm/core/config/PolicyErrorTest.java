package io.dmm.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dmm.api.DmmConfigException;
import io.dmm.api.spi.StackSettings;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every way a policy can be wrong, and the exact message (file:line:col: path: detail) it gets. */
class PolicyErrorTest {
    private static final String STACKS = "{\"stacks\": [{\"name\": \"kernel\", \"type\": \"kernel\"},"
            + " {\"name\": \"bulk\", \"type\": \"kernel\"}],\n";

    static String error(String json) {
        return assertThrows(DmmConfigException.class, () -> PolicyLoader.parse(json, "policy.json")).getMessage();
    }

    /** A policy with one rule written on line 2, starting at column 12. */
    static String ruleError(String rule) {
        return error(STACKS + " \"rules\": [" + rule + "]}");
    }

    @Test
    void exceptionCarriesItsParts() {
        DmmConfigException e = assertThrows(DmmConfigException.class, () -> PolicyLoader.parse(
                STACKS + " \"rules\": [{\"dst\": \"10.0.0.0/33\", \"stack\": \"bulk\"}]}", "policy.json"));
        assertEquals("policy.json", e.file());
        assertEquals(2, e.line());
        assertEquals(20, e.column());
        assertEquals("rules[0].dst", e.path());
        assertEquals("\"10.0.0.0/33\" is not a CIDR: prefix length must be 0..32", e.detail());
        assertEquals("policy.json:2:20: rules[0].dst: \"10.0.0.0/33\" is not a CIDR: prefix length must be 0..32",
                e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"dst": "10.0.0.0/33", "stack": "bulk"}            | policy.json:2:20: rules[0].dst: "10.0.0.0/33" is not a CIDR: prefix length must be 0..32
            {"dst": ["10.0.0.0/8", "::/200"], "stack": "bulk"} | policy.json:2:35: rules[0].dst[1]: "::/200" is not a CIDR: prefix length must be 0..128
            {"src": "10.0.0", "stack": "bulk"}                 | policy.json:2:20: rules[0].src: "10.0.0" is not a CIDR: "10.0.0" is not an IPv4 address (expected a.b.c.d)
            {"dst": "example.com", "stack": "bulk"}            | policy.json:2:20: rules[0].dst: "example.com" is not a CIDR: "example.com" is not an IPv4 address (expected a.b.c.d)
            {"dst": 10, "stack": "bulk"}                       | policy.json:2:20: rules[0].dst: expected a CIDR string such as "10.0.0.0/8" or "2001:db8::/32", got a number (10)
            {"dst": [], "stack": "bulk"}                       | policy.json:2:20: rules[0].dst: expected a CIDR string or a non-empty list of them, got an empty list
            {"port": 70000, "stack": "bulk"}                   | policy.json:2:21: rules[0].port: port 70000 is out of range 0..65535
            {"port": -1, "stack": "bulk"}                      | policy.json:2:21: rules[0].port: port -1 is out of range 0..65535
            {"port": "90-80", "stack": "bulk"}                 | policy.json:2:21: rules[0].port: "90-80" is not a port range: 90 is greater than 80
            {"port": "http", "stack": "bulk"}                  | policy.json:2:21: rules[0].port: "http" is not a port or port range (expected e.g. 80 or "9000-9099")
            {"port": [80, "1-70000"], "stack": "bulk"}         | policy.json:2:26: rules[0].port[1]: "1-70000": port 70000 is out of range 0..65535
            {"port": 8.5, "stack": "bulk"}                     | policy.json:2:21: rules[0].port: expected a port number or a "lo-hi" range string, got a number (8.5)
            {"proto": "sctp", "stack": "bulk"}                 | policy.json:2:22: rules[0].proto: expected "tcp" or "udp", got a string ("sctp")
            {"role": "listener", "stack": "bulk"}              | policy.json:2:21: rules[0].role: expected "client" or "server" (tcp), "sender" or "receiver" (udp), got a string ("listener")
            {"proto": "tcp", "role": "sender", "stack": "bulk"} | policy.json:2:37: rules[0].role: role "sender" is a udp role, but proto is "tcp"
            {"qos": "", "stack": "bulk"}                       | policy.json:2:20: rules[0].qos: expected a QoS class name, got an empty string
            {"tag": [1], "stack": "bulk"}                      | policy.json:2:21: rules[0].tag[0]: expected a tag, got a number (1)
            {"app": {}, "stack": "bulk"}                       | policy.json:2:20: rules[0].app: expected an application name, got an object
            {"caller": "com..acme", "stack": "bulk"}           | policy.json:2:23: rules[0].caller: "com..acme" is not a package or class name prefix (expected e.g. "com.acme" or "com.acme.Client")
            {"name": 3, "stack": "bulk"}                       | policy.json:2:21: rules[0].name: expected a string (the rule's name), got a number (3)
            {"dst": "10.0.0.0/8"}                              | policy.json:2:12: rules[0]: missing the target: "stack": NAME or "stacks": [NAME, ...]
            {"stack": "bulk", "stacks": ["kernel"]}            | policy.json:2:30: rules[0].stacks: give either "stack" or "stacks", not both
            {"stack": "bulc"}                                  | policy.json:2:22: rules[0].stack: "bulc" is not a defined stack; did you mean "bulk"? (defined: kernel, bulk)
            {"stacks": ["kernel", "fast"]}                     | policy.json:2:34: rules[0].stacks[1]: "fast" is not a defined stack (defined: kernel, bulk)
            {"stacks": ["bulk", "bulk"]}                       | policy.json:2:32: rules[0].stacks[1]: stack "bulk" is listed twice
            {"stacks": []}                                     | policy.json:2:23: rules[0].stacks: expected a non-empty list of stack names, got an empty list
            {"dts": "10.0.0.0/8", "stack": "bulk"}             | policy.json:2:13: rules[0].dts: unknown key "dts"; did you mean "dst"? (allowed: name, proto, role, dst, src, port, qos, tag, app, caller, stack, stacks)
            {"dst": "10.0.0.0/8", "dst": "10.0.0.0/9", "stack": "bulk"} | policy.json:2:34: rules[0]: duplicate key "dst" (first at line 2:13)
            "tcp"                                              | policy.json:2:12: rules[0]: expected a rule object, got a string ("tcp")
            """)
    void ruleErrors(String rule, String message) {
        assertEquals(message, ruleError(rule.strip()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"stacks": []}                                                   | policy.json:1:12: stacks: expected a non-empty list of stack objects, got an empty list
            {}                                                               | policy.json:1:1: missing "stacks" (a non-empty list of stack instances, e.g. [{"name": "kernel", "type": "kernel"}])
            []                                                               | policy.json:1:1: expected a policy object {"stacks": [...], "default": ..., "rules": [...]}, got a list
            {"stacks": [{"type": "kernel"}]}                                 | policy.json:1:13: stacks[0]: missing "name" (the stack instance's name)
            {"stacks": [{"name": "k"}]}                                      | policy.json:1:13: stacks[0]: missing "type" (the stack type, e.g. "kernel")
            {"stacks": [{"name": "a b", "type": "kernel"}]}                  | policy.json:1:22: stacks[0].name: "a b" is not a valid stack name (use letters, digits, '_', '.', '-')
            {"stacks": [{"name": "a", "type": 1}]}                           | policy.json:1:35: stacks[0].type: expected a stack type name such as "kernel", got a number (1)
            {"stacks": [{"name": "a", "type": "k"}, {"name": "a", "type": "k"}]} | policy.json:1:50: stacks[1].name: duplicate stack name "a" (first at line 1)
            {"stacks": ["kernel"]}                                           | policy.json:1:13: stacks[0]: expected a stack object such as {"name": "kernel", "type": "kernel"}, got a string ("kernel")
            {"stacks": [{"name": "a", "type": "k"}], "default": "b"}         | policy.json:1:53: default: "b" is not a defined stack (defined: a)
            {"stacks": [{"name": "a", "type": "k"}], "rules": {}}            | policy.json:1:51: rules: expected a list of rule objects, got an object
            {"stacks": [{"name": "a", "type": "k"}], "rule": []}             | policy.json:1:42: rule: unknown key "rule"; did you mean "rules"? (allowed: stacks, default, rules, dmm, management)
            {"stacks": [{"name": "a", "type": "k"}], "$comment": "x"}        | policy.json:1:42: $comment: unknown key "$comment" (allowed: stacks, default, rules, dmm, management)
            {"stacks": [{"name": "a", "type": "k"}], "dmm": {"module": "x"}} | policy.json:1:50: dmm.module: unknown key "module"; did you mean "module_config"? (allowed: module_config, rd_config)
            {"stacks": [{"name": "a", "type": "k"}], "dmm": {}}              | policy.json:1:49: dmm: missing "module_config" (the path of DMM's module_config.json)
            {"stacks": [{"name": "a", "type": "k"}]} x                       | policy.json:1:43: invalid JSON: Unrecognized token 'x': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')
            {"stacks": [{"name": "a", "type": "k"}] ]                        | policy.json:1:41: invalid JSON: Unexpected close marker ']': expected '}' (for Object starting at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 1])
            {"stacks": [{"name": "a", "type": "k"}]} {}                      | policy.json:1:42: unexpected content after the end of the top-level value
            {"stacks": [{"name": "a", "type": "k"}], "stacks": []}           | policy.json:1:42: duplicate key "stacks" (first at line 1:2)
            {"stacks": [{"name": "a", "type": "k"}], "default": null}        | policy.json:1:53: default: expected a stack name, got null
            {"stacks": {"name": "a", "type": "k"}}                           | policy.json:1:12: stacks: expected a non-empty list of stack objects, got an object
            {"stacks": [{"name": "a", "type": "k"}], "dmm": "dmm.json"}      | policy.json:1:49: dmm: expected an object {"module_config": FILE, "rd_config": FILE}, got a string ("dmm.json")
            {"stacks": [{"name": "a", "type": "k"}], "dmm": {"module_config": 7}} | policy.json:1:67: dmm.module_config: expected a file path, got a number (7)
            """)
    void fileErrors(String json, String message) {
        assertEquals(message, error(json.strip()));
    }

    @Test
    void syntaxErrorsNameLineAndColumn() {
        String m = error("{\n  \"stacks\": [\n    {\"name\": \"a\" \"type\": \"k\"}\n  ]\n}");
        assertEquals("policy.json:3:18: invalid JSON: Unexpected character ('\"' (code 34)): was expecting comma to "
                + "separate Object entries", m);
        assertEquals("policy.json:1:1: the file is empty: expected a JSON object", error("  "));
        assertEquals("policy.json:1:12: invalid JSON: Unexpected end-of-input: expected close marker for Array "
                + "(start marker at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); "
                + "line: 1, column: 12])", error("{\"stacks\": [").replaceFirst(":1:\\d+:", ":1:12:"));
    }

    @Test
    void missingFileIsNamed() {
        Path missing = Path.of("no-such-dir", "policy.json");
        DmmConfigException e = assertThrows(DmmConfigException.class, () -> PolicyLoader.load(missing));
        assertEquals(missing.toString(), e.file());
        assertEquals(missing.toString() + ": policy file not found: " + missing.toAbsolutePath(), e.getMessage());
    }

    @Test
    void stackSettingsErrorsPointIntoTheFile() {
        var p = PolicyLoader.parse("""
                {"stacks": [
                  {"name": "kernel", "type": "kernel"},
                  {"name": "bulk", "type": "kernel",
                   "options": {"SO_SNDBUF": "big", "SO_RCVBUFF": 1}, "sourc": "x"}
                ]}""", "policy.json");
        StackSettings s = p.stacks().get(1).settings();
        StackSettings options = s.object("options");
        assertEquals("policy.json:4:29: stacks[1].options.SO_SNDBUF: expected an integer, got a string (\"big\")",
                assertThrows(DmmConfigException.class, () -> options.integer("SO_SNDBUF", 0)).getMessage());
        assertEquals("policy.json:4:29: stacks[1].options.SO_SNDBUF: must be a power of two",
                options.error("SO_SNDBUF", "must be a power of two").getMessage());
        assertEquals("policy.json:4:15: stacks[1].options: no such option",
                options.error("ABSENT", "no such option").getMessage());
        assertEquals("policy.json:4:36: stacks[1].options.SO_RCVBUFF: unknown key \"SO_RCVBUFF\"; did you mean "
                        + "\"SO_RCVBUF\"? (allowed: SO_RCVBUF, SO_SNDBUF)",
                assertThrows(DmmConfigException.class,
                        () -> options.allowOnly(Set.of("SO_SNDBUF", "SO_RCVBUF"))).getMessage());
        assertEquals("policy.json:4:54: stacks[1].sourc: unknown key \"sourc\"; did you mean \"source\"? "
                        + "(allowed: name, type, options, source)",
                assertThrows(DmmConfigException.class,
                        () -> s.allowOnly(Set.of("source", "options"))).getMessage());
        assertEquals("policy.json:4:15: stacks[1].options: expected a string, got an object",
                assertThrows(DmmConfigException.class, () -> s.string("options", null)).getMessage());
        assertEquals("policy.json:4:63: stacks[1].sourc: expected true or false, got a string (\"x\")",
                assertThrows(DmmConfigException.class, () -> s.bool("sourc", false)).getMessage());
        assertEquals("policy.json:4:63: stacks[1].sourc: expected an object, got a string (\"x\")",
                assertThrows(DmmConfigException.class, () -> s.object("sourc")).getMessage());
    }
}
