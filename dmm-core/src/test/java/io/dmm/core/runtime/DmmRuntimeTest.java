package io.dmm.core.runtime;

import static org.junit.jupiter.api.Assertions.*;

import io.dmm.api.RouteExplanation;
import io.dmm.api.RouteHints;
import io.dmm.api.RouteQuery;
import io.dmm.api.Role;
import io.dmm.api.spi.DmmRuntimeBinding;
import io.dmm.core.testsupport.TestPolicy;
import io.dmm.core.testsupport.TestStacks;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class DmmRuntimeTest {
    private static TestPolicy policy() {
        return new TestPolicy().kernel("k1").kernel("k2")
                .rule(k -> k.role() == Role.SERVER, "k2", "k1")
                .rule(k -> "bulk".equals(k.qos()), "k2")
                .defaults("k1");
    }

    @Test
    void explainNamesTheRuleItsSourceAndStacks() {
        try (DmmRuntime rt = new DmmRuntime(policy(), TestStacks.providers())) {
            InetSocketAddress dst = new InetSocketAddress(InetAddress.getLoopbackAddress(), 443);
            RouteExplanation server = rt.explain(RouteQuery.tcpServer(dst));
            assertEquals(0, server.ruleIndex());
            assertEquals("test.json:10", server.source());
            assertEquals(List.of("k2", "k1"), server.stacks());
            assertTrue(server.reason().contains("rule #0"), server.reason());

            RouteExplanation bulk = rt.explain(RouteQuery.tcpClient(dst).withHints(RouteHints.qos("bulk")));
            assertEquals(1, bulk.ruleIndex());
            assertTrue(bulk.reason().contains("qos=bulk"), bulk.reason());

            RouteExplanation dflt = rt.explain(RouteQuery.tcpClient(dst));
            assertEquals(-1, dflt.ruleIndex());
            assertFalse(dflt.matchedRule());
            assertTrue(dflt.reason().contains("no rule matched"), dflt.reason());

            RouteExplanation explicit = rt.explain(RouteQuery.tcpClient(dst).withHints(RouteHints.stack("k2")));
            assertEquals(List.of("k2"), explicit.stacks());
            assertEquals("explicit stack hint", explicit.source());
            assertThrows(IllegalArgumentException.class,
                    () -> rt.explain(RouteQuery.tcpClient(dst).withHints(RouteHints.stack("zz"))));
            assertEquals(0, rt.stats().stack("k1").orElseThrow().decisions(), "explaining decides nothing");
        }
    }

    @Test
    void routeOfTellsTheRuleAndTheStackEachChannelRunsOn() throws Exception {
        try (DmmRuntime rt = new DmmRuntime(policy(), TestStacks.providers());
             ServerSocketChannel server = rt.openServerSocketChannel(null, RouteHints.none());
             SocketChannel client = rt.openSocketChannel(null, RouteHints.qos("bulk"))) {
            assertTrue(rt.routeOf(server).isEmpty(), "not routed before bind");
            try (SocketChannel jdk = SocketChannel.open()) {
                assertTrue(rt.routeOf(jdk).isEmpty(), "a JDK channel is not DMM's");
            }
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            RouteExplanation listening = rt.routeOf(server).orElseThrow();
            assertEquals(0, listening.ruleIndex());
            assertEquals(List.of("k2"), listening.stacks(), "a specific address listens on the first stack only");

            client.connect(server.getLocalAddress());
            RouteExplanation connected = rt.routeOf(client).orElseThrow();
            assertEquals(1, connected.ruleIndex());
            assertEquals(List.of("k2"), connected.stacks());
            assertTrue(connected.reason().startsWith("on k2: rule #1 (test.json:"), connected.reason());
            try (SocketChannel accepted = server.accept()) {
                RouteExplanation a = rt.routeOf(accepted).orElseThrow();
                assertEquals(0, a.ruleIndex(), "an accepted channel carries its server's route");
                assertEquals(List.of("k2"), a.stacks());
                assertEquals(a, rt.routeOf(accepted.socket().getChannel()).orElseThrow());
            }
        }
    }

    @Test
    void statsListEveryStackWithHealthAndTheirOwnCounters() {
        TestPolicy p = new TestPolicy().kernel("k1").stack("w", "down", java.util.Map.of()).defaults("k1");
        try (DmmRuntime rt = new DmmRuntime(p, TestStacks.providers())) {
            var stats = rt.stats();
            assertEquals(2, stats.stacks().size());
            assertEquals("UP", stats.stack("k1").orElseThrow().health());
            assertEquals("kernel", stats.stack("k1").orElseThrow().type());
            assertEquals("DOWN", stats.stack("w").orElseThrow().health());
            assertEquals(1L, stats.stack("w").orElseThrow().stackCounters().get("wrapped"));
            assertEquals(1, stats.rules().size(), "just the default");
        }
    }

    @Test
    void aRouteNamingAnUndefinedStackIsRejectedAndStacksAreClosed() {
        TestStacks.TrackingProvider tracking = new TestStacks.TrackingProvider("kernel", false);
        TestPolicy p = new TestPolicy().kernel("k1").defaults("nope");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new DmmRuntime(p, List.of(tracking)));
        assertTrue(e.getMessage().contains("nope"));
        assertEquals(1, tracking.closed.get());
    }

    @Test
    void closedRuntimeOpensNothing() {
        DmmRuntime rt = new DmmRuntime(policy(), TestStacks.providers());
        rt.close();
        rt.close();
        assertThrows(IllegalStateException.class, () -> rt.openSocketChannel(null, RouteHints.none()));
    }

    @Test
    void theServiceBindingIsTheLazyGlobalFront() {
        DmmRuntimeBinding b = ServiceLoader.load(DmmRuntimeBinding.class).findFirst().orElseThrow();
        assertInstanceOf(GlobalRuntimeBinding.class, b, "found without loading any policy");
    }

    @Test
    void callerFilterSkipsDmmAndJdkFrames() {
        assertFalse(Router.isApplicationClass("io.dmm.core.channel.RoutedSocketChannel"));
        assertFalse(Router.isApplicationClass("java.net.Socket"));
        assertFalse(Router.isApplicationClass("jdk.internal.misc.Foo"));
        assertFalse(Router.isApplicationClass("sun.nio.ch.SocketChannelImpl"));
        assertFalse(Router.isApplicationClass("javax.net.SocketFactory"));
        assertTrue(Router.isApplicationClass("com.example.App"));
        assertTrue(Router.isApplicationClass("io.dmmx.Other"));
    }
}
