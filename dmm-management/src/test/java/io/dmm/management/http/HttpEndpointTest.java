package io.dmm.management.http;

import static org.junit.jupiter.api.Assertions.*;

import io.dmm.api.Protocol;
import io.dmm.api.RouteExplanation;
import io.dmm.api.RouteHints;
import io.dmm.api.RouteQuery;
import io.dmm.api.SocketInfo;
import io.dmm.api.testing.Waits;
import io.dmm.core.runtime.DmmRuntime;
import io.dmm.core.routing.SocketTable;
import io.dmm.core.testsupport.TestStacks;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP endpoint of a runtime started from a policy file that enables it on 127.0.0.1, port 0:
 * authentication, every resource's JSON, pushing policies, drain, metrics, and how policy changes
 * move, keep or close the listener.
 */
class HttpEndpointTest {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    @TempDir
    Path dir;
    private Path policyFile;
    private Path tokenFile;
    private String token;
    private DmmRuntime rt;
    private HttpClient http;

    @BeforeEach
    void start() throws IOException {
        token = "tok-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
        tokenFile = secret("token", token + "\n");
        policyFile = dir.resolve("policy.json");
        Files.writeString(policyFile, policy("k1", 0, "token"));
        rt = DmmRuntime.fromFile(policyFile, TestStacks.providers());
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void stop() {
        if (http != null) {
            http.close();
        }
        if (rt != null) {
            rt.close();
        }
    }

    private Path secret(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        return p;
    }

    /** Two kernel stacks; qos=bulk goes to k2, the rest to {@code dflt}; the endpoint on 127.0.0.1:{@code port}. */
    private static String policy(String dflt, int port, String tokenPath) {
        return """
                {
                  "stacks": [{"name": "k1", "type": "kernel"}, {"name": "k2", "type": "kernel"}],
                  "default": "%s",
                  "rules": [
                    {"qos": "bulk", "stack": "k2"}
                  ],
                  "management": {"watch": false,
                                 "http": {"address": "127.0.0.1", "port": %d, "tokenFile": "%s"}}
                }
                """.formatted(dflt, port, tokenPath);
    }

    private HttpEndpoint endpoint() {
        return rt.management().slot(HttpEndpoint.class);
    }

    private URI uri(String path) {
        InetSocketAddress a = endpoint().boundAddress();
        assertNotNull(a, "the endpoint is not listening");
        return URI.create("http://127.0.0.1:" + a.getPort() + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token));
    }

    private HttpResponse<String> put(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token)
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> post(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    private static Map<String, Object> json(HttpResponse<String> r, int status) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElseThrow());
        return Json.object(r.body());
    }

    private static Map<String, Object> byName(List<Object> items, String key, Object value) {
        return items.stream().map(Json::map).filter(m -> value.equals(m.get(key))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + key + "=" + value + " in " + items));
    }

    @Test
    void everyRequestNeedsTheBearerToken() throws Exception {
        for (String path : List.of("/v1/policy", "/v1/stacks", "/metrics", "/no/such/path")) {
            HttpResponse<String> none = send(HttpRequest.newBuilder(uri(path)));
            assertEquals(401, none.statusCode(), path);
            assertEquals("Bearer realm=\"dmm\"", none.headers().firstValue("WWW-Authenticate").orElseThrow());
            HttpResponse<String> wrong = send(HttpRequest.newBuilder(uri(path))
                    .header("Authorization", "Bearer " + token + "x"));
            assertEquals(401, wrong.statusCode(), path);
            assertTrue(wrong.headers().firstValue("WWW-Authenticate").orElseThrow().contains("invalid_token"));
            assertEquals(401, send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Basic "
                    + token)).statusCode(), "another scheme");
            assertEquals(401, send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer "
                    + token.substring(1))).statusCode(), "a prefix of the token");
        }
        HttpResponse<String> put = send(HttpRequest.newBuilder(uri("/v1/policy"))
                .PUT(HttpRequest.BodyPublishers.ofString(policy("k2", 0, "token"))));
        assertEquals(401, put.statusCode());
        assertEquals(1, rt.status().version(), "an unauthenticated push changes nothing");
        assertEquals(200, send(HttpRequest.newBuilder(uri("/v1/policy"))
                .header("Authorization", "bearer   " + token)).statusCode(), "the scheme is case-insensitive");
    }

    @Test
    void readEndpointsDescribeTheRunningPolicyStacksRulesAndSockets() throws Exception {
        try (ServerSocketChannel server = rt.openServerSocketChannel(null, RouteHints.none());
             SocketChannel client = rt.openSocketChannel(null, RouteHints.qos("bulk"))) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            client.connect(server.getLocalAddress());
            try (SocketChannel accepted = server.accept()) {
                client.write(ByteBuffer.wrap(new byte[100]));
                ByteBuffer in = ByteBuffer.allocate(100);
                while (in.hasRemaining()) {
                    assertTrue(accepted.read(in) > 0);
                }

                Map<String, Object> policy = json(get("/v1/policy"), 200);
                assertEquals(1L, policy.get("version"));
                assertEquals(policyFile.toString(), policy.get("file"));
                assertEquals(1L, policy.get("rules"));
                assertEquals(2L, policy.get("stacks"));
                assertNull(policy.get("lastChange"));
                assertNotNull(java.time.Instant.parse((String) policy.get("appliedAt")));

                Map<String, Object> stacks = json(get("/v1/stacks"), 200);
                assertEquals(1L, stacks.get("policyVersion"));
                Map<String, Object> k2 = byName(Json.list(stacks.get("stacks")), "name", "k2");
                assertEquals("kernel", k2.get("type"));
                assertEquals("UP", k2.get("health"));
                assertEquals("active", k2.get("admin"));
                assertEquals(1L, k2.get("decisions"));
                assertEquals(1L, k2.get("connectsOk"));
                assertEquals(1L, k2.get("socketsActive"));
                assertEquals(100L, k2.get("bytesOut"));
                assertInstanceOf(Map.class, k2.get("stackCounters"));
                Map<String, Object> k1 = json(get("/v1/stacks/k1"), 200);
                assertEquals("k1", k1.get("name"));
                assertEquals(2L, k1.get("socketsActive"), "the listener and the accepted socket");
                assertEquals(100L, k1.get("bytesIn"));
                assertEquals(404, get("/v1/stacks/nope").statusCode());

                Map<String, Object> rules = json(get("/v1/rules"), 200);
                List<Object> list = Json.list(rules.get("rules"));
                Map<String, Object> bulk = byName(list, "index", 0L);
                assertEquals(1L, bulk.get("hits"));
                assertEquals(List.of("k2"), bulk.get("stacks"));
                assertTrue(((String) bulk.get("source")).startsWith(policyFile + ":"), bulk.toString());
                assertTrue(((String) bulk.get("rule")).contains("bulk"), bulk.toString());
                assertEquals(1L, byName(list, "index", -1L).get("hits"), "the server's decision");

                Map<String, Object> stats = json(get("/v1/stats"), 200);
                assertEquals(2, Json.list(stats.get("stacks")).size());
                assertEquals(2, Json.list(stats.get("rules")).size());
            }
        }
    }

    @Test
    void theSocketTableListsEveryEntryWithItsAddressesAndCounters() throws Exception {
        // entries registered directly, so that this checks the endpoint's rendering whatever else is open
        java.time.Instant opened = java.time.Instant.parse("2025-01-02T03:04:05.678Z");
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("::1"), 443);
        InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 5000);
        SocketTable.Entry client = rt.sockets().register(e -> new SocketInfo(e.id(), "k2", Protocol.TCP, "client",
                v4, v6, "established", e.bytesIn(), e.bytesOut(), opened, 1, "#0"));
        SocketTable.Entry unrouted = rt.sockets().register(e -> new SocketInfo(e.id(), "", Protocol.UDP, "datagram",
                null, null, "unrouted", 0, 0, opened, 0, ""));
        try {
            client.addIn(7);
            client.addOut(9);
            List<Object> sockets = Json.list(json(get("/v1/sockets"), 200).get("sockets"));
            Map<String, Object> c = byName(sockets, "id", client.id());
            assertEquals("k2", c.get("stack"));
            assertEquals("TCP", c.get("protocol"));
            assertEquals("client", c.get("kind"));
            assertEquals("127.0.0.1:5000", c.get("local"));
            assertEquals("[0:0:0:0:0:0:0:1]:443", c.get("remote"));
            assertEquals("established", c.get("state"));
            assertEquals(7L, c.get("bytesIn"));
            assertEquals(9L, c.get("bytesOut"));
            assertEquals("2025-01-02T03:04:05.678Z", c.get("opened"));
            assertEquals(1L, c.get("policyVersion"));
            assertEquals("#0", c.get("rule"));
            Map<String, Object> u = byName(sockets, "id", unrouted.id());
            assertEquals("UDP", u.get("protocol"));
            assertTrue(u.containsKey("local") && u.get("local") == null, u.toString());
            assertNull(u.get("remote"));
            assertEquals("", u.get("stack"));
            assertTrue(sockets.indexOf(c) < sockets.indexOf(u), "oldest first");
        } finally {
            rt.sockets().unregister(client);
            rt.sockets().unregister(unrouted);
        }
    }

    @Test
    void aPushedPolicyIsAppliedAndRoutesNewSockets() throws Exception {
        InetSocketAddress dst = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9);
        assertEquals(List.of("k1"), rt.explain(RouteQuery.tcpClient(dst)).stacks());
        Map<String, Object> status = json(put("/v1/policy", policy("k2", 0, tokenFile.toString())), 200);
        assertEquals(2L, status.get("version"));
        assertEquals("http push from 127.0.0.1", status.get("origin"));
        Map<String, Object> change = Json.map(status.get("lastChange"));
        assertEquals(true, change.get("applied"));
        assertEquals(2L, rt.status().version());

        RouteExplanation now = rt.explain(RouteQuery.tcpClient(dst));
        assertEquals(List.of("k2"), now.stacks(), "the default moved to k2");
        try (ServerSocketChannel server = ServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             SocketChannel client = rt.openSocketChannel(null, RouteHints.none())) {
            client.connect(server.getLocalAddress());
            assertEquals(List.of("k2"), rt.routeOf(client).orElseThrow().stacks());
            server.accept().close();
        }
        assertEquals(2L, json(get("/v1/policy"), 200).get("version"), "the endpoint kept serving");
    }

    @Test
    void anInvalidPushIsRejectedWithTheLocatedErrorAndChangesNothing() throws Exception {
        String bad = """
                {
                  "stacks": [{"name": "k1", "type": "kernel"}],
                  "rules": [
                    {"dst": "10.0.0.0/33", "stack": "k1"}
                  ],
                  "management": {"http": {"address": "127.0.0.1", "port": 0, "tokenFile": "%s"}}
                }
                """.formatted(tokenFile);
        Map<String, Object> err = json(put("/v1/policy", bad), 422);
        assertEquals("http push from 127.0.0.1", err.get("file"));
        assertEquals(4L, err.get("line"));
        assertTrue((Long) err.get("column") > 0, err.toString());
        assertEquals("rules[0].dst", err.get("path"));
        assertTrue(((String) err.get("detail")).contains("is not a CIDR"), err.toString());
        assertTrue(((String) err.get("error")).startsWith("http push from 127.0.0.1:4:"), err.toString());

        Map<String, Object> status = json(get("/v1/policy"), 200);
        assertEquals(1L, status.get("version"));
        Map<String, Object> change = Json.map(status.get("lastChange"));
        assertEquals(false, change.get("applied"));
        assertEquals(err.get("error"), change.get("error"));

        assertEquals(422L, json(put("/v1/policy", "{\"stacks\": ["), 422).get("status"), "not even JSON");
        assertEquals(1L, rt.status().version());
    }

    @Test
    void drainAndUndrainSetTheStacksAdminState() throws Exception {
        Map<String, Object> drained = json(post("/v1/stacks/k2/drain"), 200);
        assertEquals("k2", drained.get("name"), "the reply is the drained stack's view");
        assertEquals("draining", drained.get("admin"));
        assertEquals("draining", rt.stats().stack("k2").orElseThrow().admin());
        assertEquals("active", rt.stats().stack("k1").orElseThrow().admin(), "draining k2 leaves k1 alone");
        assertEquals("active", json(post("/v1/stacks/k2/undrain"), 200).get("admin"));
        assertEquals("active", rt.stats().stack("k2").orElseThrow().admin());
        assertEquals(404, post("/v1/stacks/nope/drain").statusCode());
        assertEquals(405, get("/v1/stacks/k2/drain").statusCode());
    }

    @Test
    void metricsAreValidPrometheusTextWithEveryCounter() throws Exception {
        try (ServerSocketChannel server = rt.openServerSocketChannel(null, RouteHints.none());
             SocketChannel client = rt.openSocketChannel(null, RouteHints.qos("bulk"))) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            client.connect(server.getLocalAddress());
            try (SocketChannel accepted = server.accept()) {
                client.write(ByteBuffer.wrap(new byte[42]));
                ByteBuffer in = ByteBuffer.allocate(42);
                while (in.hasRemaining()) {
                    assertTrue(accepted.read(in) > 0);
                }
                post("/v1/stacks/k1/drain");
                HttpResponse<String> r = get("/metrics");
                assertEquals(200, r.statusCode());
                assertEquals("text/plain; version=0.0.4; charset=utf-8",
                        r.headers().firstValue("Content-Type").orElseThrow());
                PrometheusParser.Exposition m = PrometheusParser.parse(r.body());

                assertEquals(1, m.value("dmm_policy_version"));
                assertEquals(1, m.value("dmm_policy_last_reload_success"));
                assertEquals("gauge", m.types().get("dmm_policy_version"));
                assertEquals("counter", m.types().get("dmm_stack_decisions_total"));
                assertEquals(1, m.value("dmm_stack_info", "stack", "k2", "type", "kernel"));
                assertEquals(1, m.value("dmm_stack_decisions_total", "stack", "k2"));
                assertEquals(1, m.value("dmm_stack_decisions_total", "stack", "k1"));
                assertEquals(1, m.value("dmm_stack_sockets_opened_total", "stack", "k2"));
                assertEquals(2, m.value("dmm_stack_sockets_opened_total", "stack", "k1"));
                assertEquals(1, m.value("dmm_stack_sockets_active", "stack", "k2"));
                assertEquals(1, m.value("dmm_stack_connects_total", "stack", "k2", "result", "ok"));
                assertEquals(0, m.value("dmm_stack_connects_total", "stack", "k2", "result", "failed"));
                assertEquals(42, m.value("dmm_stack_bytes_out_total", "stack", "k2"));
                assertEquals(42, m.value("dmm_stack_bytes_in_total", "stack", "k1"));
                assertEquals(1, m.value("dmm_stack_health", "stack", "k1", "state", "up"));
                assertEquals(0, m.value("dmm_stack_health", "stack", "k1", "state", "down"));
                assertEquals(1, m.value("dmm_stack_admin_state", "stack", "k1", "state", "draining"));
                assertEquals(0, m.value("dmm_stack_admin_state", "stack", "k1", "state", "active"));
                assertEquals(1, m.value("dmm_stack_admin_state", "stack", "k2", "state", "active"));
                assertEquals(1, m.value("dmm_rule_hits_total", "index", "0", "stacks", "k2"));
                assertEquals(1, m.value("dmm_rule_hits_total", "index", "-1", "stacks", "k1"));
                assertTrue(m.find("dmm_rule_hits_total", "index", "0").get(0).labels().get("source")
                        .startsWith(policyFile + ":"));
                assertEquals("untyped", m.types().get("dmm_stack_counter"));
                for (PrometheusParser.Sample s : m.samples()) {
                    assertTrue(m.help().containsKey(s.name()), "HELP for " + s.name());
                }
            }
        }
    }

    @Test
    void metricsOfAStackThatReportsItsOwnCountersAndIsDown() throws Exception {
        Files.writeString(policyFile, """
                {
                  "stacks": [{"name": "k1", "type": "kernel"}, {"name": "w", "type": "down"}],
                  "default": "k1",
                  "management": {"http": {"address": "127.0.0.1", "port": 0, "tokenFile": "token"}}
                }
                """);
        rt.control().reload();
        PrometheusParser.Exposition m = PrometheusParser.parse(get("/metrics").body());
        assertEquals(1, m.value("dmm_stack_health", "stack", "w", "state", "down"));
        assertEquals(0, m.value("dmm_stack_health", "stack", "w", "state", "up"));
        assertEquals(1, m.value("dmm_stack_counter", "stack", "w", "counter", "wrapped"));
        assertEquals(2, m.value("dmm_policy_version"));
        assertEquals(1, m.find("dmm_policy_last_reload_timestamp_seconds").size());
    }

    @Test
    void aReloadThatChangesThePortMovesTheEndpointWithItsNewToken() throws Exception {
        int oldPort = endpoint().boundAddress().getPort();
        int newPort = freePort();
        String oldToken = token;
        token = oldToken + "-rotated";
        Files.writeString(tokenFile, token);
        Files.writeString(policyFile, policy("k1", newPort, "token"));
        assertEquals(2, rt.control().reload().version());

        assertEquals(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), newPort), endpoint().boundAddress());
        assertEquals(200, get("/v1/policy").statusCode());
        assertEquals(401, send(HttpRequest.newBuilder(uri("/v1/policy"))
                .header("Authorization", "Bearer " + oldToken)).statusCode());
        assertThrows(ConnectException.class, () -> http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + oldPort + "/v1/policy")).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()));
        assertFalse(ListeningSockets.ofThisProcess().stream().anyMatch(a -> a.getPort() == oldPort));
    }

    @Test
    void aReloadWithTheSameAddressKeepsTheListenerAndTakesTheNewToken() throws Exception {
        InetSocketAddress before = endpoint().boundAddress();
        String oldToken = token;
        token = oldToken + "-rotated";
        Files.writeString(tokenFile, token);
        rt.control().reload();
        assertEquals(before, endpoint().boundAddress());
        assertEquals(200, get("/v1/policy").statusCode());
        assertEquals(401, send(HttpRequest.newBuilder(uri("/v1/policy"))
                .header("Authorization", "Bearer " + oldToken)).statusCode());
    }

    @Test
    void aPortInUseRejectsTheChangeAndTheEndpointStaysWhereItWas() throws Exception {
        InetSocketAddress before = endpoint().boundAddress();
        try (ServerSocketChannel taken = ServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            int port = ((InetSocketAddress) taken.getLocalAddress()).getPort();
            Files.writeString(policyFile, policy("k2", port, "token"));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> rt.control().reload());
            assertTrue(e.getMessage().contains("cannot open the HTTP endpoint on http://127.0.0.1:" + port),
                    e.getMessage());
            assertEquals(1, rt.status().version());
            assertEquals(List.of("k1"), rt.explain(RouteQuery.tcpClient(before)).stacks());
            assertEquals(before, endpoint().boundAddress());
            Map<String, Object> status = json(get("/v1/policy"), 200);
            assertEquals(false, Json.map(status.get("lastChange")).get("applied"));

        }
    }

    /**
     * The token lets one change routing, not the endpoint itself (nor load stack modules): a pushed
     * policy that moves the endpoint is refused at its management section, and nothing is applied.
     */
    @Test
    void aPushCannotChangeTheManagementSettings() throws Exception {
        InetSocketAddress before = endpoint().boundAddress();
        Map<String, Object> pushed = json(put("/v1/policy", policy("k2", 1, tokenFile.toString())), 422);
        assertEquals("management", pushed.get("path"), pushed.toString());
        assertTrue(((String) pushed.get("detail")).startsWith("a pushed policy cannot change the management settings"
                + " (here http)"), pushed.toString());
        assertTrue(((Number) pushed.get("line")).intValue() > 0, pushed.toString());
        assertEquals(1, rt.status().version());
        assertEquals(List.of("k1"), rt.explain(RouteQuery.tcpClient(before)).stacks());
        assertEquals(before, endpoint().boundAddress());
    }

    @Test
    void anEmptyTokenFileKeepsTheRuntimeFromStarting() throws Exception {
        Path empty = secret("empty-token", "  \n");
        Path p = dir.resolve("empty.json");
        Files.writeString(p, policy("k1", 0, empty.toString()));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> DmmRuntime.fromFile(p, TestStacks.providers()).close());
        assertTrue(e.getMessage().contains("is empty"), e.getMessage());
    }

    @Test
    void aPolicyWithoutHttpOpensNoPort() throws Exception {
        Set<InetSocketAddress> before = ListeningSockets.ofThisProcess();
        Path p = dir.resolve("plain.json");
        Files.writeString(p, """
                {"stacks": [{"name": "k1", "type": "kernel"}], "management": {"watch": false}}
                """);
        try (DmmRuntime plain = DmmRuntime.fromFile(p, TestStacks.providers())) {
            assertNull(plain.management().slot(HttpEndpoint.class).boundAddress());
            Set<InetSocketAddress> opened = new java.util.HashSet<>(ListeningSockets.ofThisProcess());
            opened.removeAll(before);
            assertEquals(Set.of(), opened, "listeners this runtime opened");
        }
        // and the endpoint of this test's runtime is one of this process's listeners: the check can fail
        assertTrue(before.contains(endpoint().boundAddress()), before + " " + endpoint().boundAddress());
    }

    @Test
    void aReloadWithoutHttpClosesTheEndpointAfterAnswering() throws Exception {
        InetSocketAddress before = endpoint().boundAddress();
        Files.writeString(policyFile, """
                {"stacks": [{"name": "k1", "type": "kernel"}], "management": {"watch": false}}
                """);
        assertEquals(2L, json(post("/v1/policy/reload"), 200).get("version"));
        assertNull(endpoint().boundAddress());
        // the old listener closes once the answer is out, on the server's thread: wait for it, boundedly
        Waits.until("the endpoint's listener on " + before + " to close", Duration.ofSeconds(10),
                () -> !ListeningSockets.ofThisProcess().contains(before));
    }

    @Test
    void theEndpointListensOnLoopbackOnly() {
        InetSocketAddress a = endpoint().boundAddress();
        assertTrue(a.getAddress().isLoopbackAddress());
        assertTrue(ListeningSockets.ofThisProcess().contains(a), "listening on " + a);
        assertFalse(ListeningSockets.ofThisProcess().stream().anyMatch(s -> s.getPort() == a.getPort()
                && s.getAddress().isAnyLocalAddress()));
    }

    @Test
    void wrongMethodsUnknownPathsAndTooLargeBodiesAreRefused() throws Exception {
        HttpResponse<String> del = send(HttpRequest.newBuilder(uri("/v1/policy"))
                .header("Authorization", "Bearer " + token).DELETE());
        assertEquals(405, del.statusCode());
        assertEquals("GET, PUT", del.headers().firstValue("Allow").orElseThrow());
        assertEquals(405, post("/metrics").statusCode());
        assertEquals(404, get("/v1/nothing").statusCode());
        assertEquals(404, get("/v2/policy").statusCode());
        assertEquals(404, get("/").statusCode());
        assertEquals(404, get("/v1/stacks/k1/explode").statusCode());
        assertEquals(200, get("/v1/stacks/k%31").statusCode(), "percent-decoded stack name");

        byte[] big = new byte[HttpConnection.MAX_BODY_BYTES + 1];
        java.util.Arrays.fill(big, (byte) ' ');
        HttpResponse<String> tooBig = send(HttpRequest.newBuilder(uri("/v1/policy"))
                .header("Authorization", "Bearer " + token).PUT(HttpRequest.BodyPublishers.ofByteArray(big)));
        assertEquals(413, tooBig.statusCode());
        HttpResponse<String> tooBigExpecting = send(HttpRequest.newBuilder(uri("/v1/policy")).expectContinue(true)
                .header("Authorization", "Bearer " + token).PUT(HttpRequest.BodyPublishers.ofByteArray(big)));
        assertEquals(413, tooBigExpecting.statusCode());
        assertEquals(1, rt.status().version());
    }

    @Test
    void malformedRequestsGetPreciseStatuses() throws Exception {
        String auth = "Authorization: Bearer " + token + "\r\n";
        assertTrue(raw("HELLO\r\n\r\n").startsWith("HTTP/1.1 400 "));
        assertTrue(raw("GET /v1/policy HTTP/2.0\r\n\r\n").startsWith("HTTP/1.1 505 "));
        assertTrue(raw("GET /v1/policy HTTP/1.1\r\n" + "X-Big: " + "a".repeat(20_000) + "\r\n\r\n")
                .startsWith("HTTP/1.1 431 "));
        assertTrue(raw("PUT /v1/policy HTTP/1.1\r\n" + auth + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
                .startsWith("HTTP/1.1 411 "));
        assertTrue(raw("PUT /v1/policy HTTP/1.1\r\n" + auth + "Content-Length: 1, 2\r\n\r\n{")
                .startsWith("HTTP/1.1 400 "));
        String ok = raw("GET /v1/policy HTTP/1.0\r\n" + auth + "\r\n");
        assertTrue(ok.startsWith("HTTP/1.1 200 "), ok);
        assertTrue(ok.contains("\r\nConnection: close\r\n"), ok);
        String curlStyle = raw("PUT /v1/stacks/k1/drain HTTP/1.1\r\n" + auth + "\r\n");
        assertTrue(curlStyle.startsWith("HTTP/1.1 405 "), curlStyle);
    }

    @Test
    void reloadReadsThePolicyFileAgain() throws Exception {
        Files.writeString(policyFile, policy("k2", 0, "token"));
        assertEquals(2L, json(post("/v1/policy/reload"), 200).get("version"));
        assertEquals(List.of("k2"), rt.explain(RouteQuery.tcpClient(endpoint().boundAddress())).stacks());
        Files.writeString(policyFile, "{\n  \"stacks\": 7\n}\n");
        Map<String, Object> err = json(post("/v1/policy/reload"), 422);
        assertEquals(policyFile.toString(), err.get("file"));
        assertEquals(2L, err.get("line"));
        assertEquals("stacks", err.get("path"));
        assertEquals(2, rt.status().version());
    }

    @Test
    void reloadWithoutAPolicyFileIsAConflict() throws Exception {
        // a runtime built from policy text has no file to read again
        rt.close();
        rt = new DmmRuntime(io.dmm.core.config.PolicyLoader.parse(policy("k1", 0, tokenFile.toString()), "inline"),
                TestStacks.providers());
        Map<String, Object> err = json(post("/v1/policy/reload"), 409);
        assertTrue(((String) err.get("error")).contains("nothing to reload"), err.toString());
    }

    @Test
    void aClientWaitingFor100ContinueGetsToSendItsPolicy() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/v1/policy")).expectContinue(true)
                .header("Authorization", "Bearer " + token)
                .PUT(HttpRequest.BodyPublishers.ofString(policy("k2", 0, tokenFile.toString()))));
        assertEquals(2L, json(r, 200).get("version"));
        String rawHead = raw("PUT /v1/stacks/k1/drain HTTP/1.1\r\nAuthorization: Bearer " + token
                + "\r\nExpect: 100-continue\r\nContent-Length: 0\r\n\r\n");
        assertTrue(rawHead.startsWith("HTTP/1.1 405 "), "no 100 for a refused request: " + rawHead);
    }

    @Test
    void connectionsBeyondTheLimitAreAnswered503AndTheSlotsComeBack() throws Exception {
        List<Socket> idle = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < HttpListener.MAX_CONNECTIONS; i++) {
                Socket s = new Socket();
                idle.add(s);
                s.connect(endpoint().boundAddress(), 5000);
            }
            try (Socket extra = new Socket()) {
                extra.connect(endpoint().boundAddress(), 5000);
                extra.setSoTimeout(10_000);
                String answer = new String(extra.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertTrue(answer.startsWith("HTTP/1.1 503 "), answer);
            }
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
        // the idle connections' threads see the close and give their slots back
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        int status;
        do {
            try {
                status = get("/v1/policy").statusCode();
            } catch (IOException e) {
                status = 503; // refused while busy, before the request was read: the client may see a reset
            }
        } while (status == 503 && System.nanoTime() < deadline);
        assertEquals(200, status);
    }

    /** Sends {@code request} on a plain socket and returns everything the server answered. */
    private String raw(String request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(endpoint().boundAddress(), 5000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocketChannel s = ServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return ((InetSocketAddress) s.getLocalAddress()).getPort();
        }
    }
}
