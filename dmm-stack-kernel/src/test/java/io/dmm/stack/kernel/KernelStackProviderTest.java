package io.dmm.stack.kernel;

import io.dmm.api.spi.testing.MapStackSettings;
import io.dmm.api.testing.TestGroups;
import static org.junit.jupiter.api.Assertions.*;

import io.dmm.api.DmmConfigException;
import io.dmm.api.Protocol;
import io.dmm.api.spi.StackCapability;
import io.dmm.api.spi.StackHealth;
import io.dmm.api.spi.StackInstance;
import io.dmm.api.spi.StackProvider;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.ServiceLoader;
import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.Test;

class KernelStackProviderTest {
    private final KernelStackProvider provider = new KernelStackProvider();

    private StackInstance create(Map<String, Object> settings) {
        return provider.create(MapStackSettings.of("k1", "kernel", settings));
    }

    @Test
    void foundByServiceLoaderAsKernel() {
        assertTrue(ServiceLoader.load(StackProvider.class).stream()
                .anyMatch(p -> p.get().type().equals("kernel") && p.get() instanceof KernelStackProvider));
    }

    @Test
    void emptySettingsGiveAnUpInstanceWithoutSource() {
        try (StackInstance k = create(Map.of())) {
            assertEquals("k1", k.name());
            assertEquals("kernel", k.type());
            assertEquals(StackHealth.UP, k.health());
            assertNull(k.sourceAddress());
            assertTrue(k.supports(Protocol.TCP, StandardProtocolFamily.INET));
            assertTrue(k.supports(Protocol.UDP, StandardProtocolFamily.INET6));
            assertFalse(k.supports(Protocol.TCP, StandardProtocolFamily.UNIX));
            assertEquals(Map.of(), k.counters());
        }
    }

    @Test
    void unknownKeyIsRejected() {
        DmmConfigException e = assertThrows(DmmConfigException.class, () -> create(Map.of("optoins", Map.of())));
        assertTrue(e.getMessage().contains("optoins"), e.getMessage());
    }

    @Test
    void unknownOptionGetsDidYouMean() {
        DmmConfigException e = assertThrows(DmmConfigException.class,
                () -> create(Map.of("options", Map.of("TCP_NODELY", true))));
        assertEquals("stacks[0].options.TCP_NODELY", e.path());
        assertTrue(e.detail().contains("did you mean \"TCP_NODELAY\""), e.detail());
        DmmConfigException lower = assertThrows(DmmConfigException.class,
                () -> create(Map.of("options", Map.of("so_rcvbuf", 1L))));
        assertTrue(lower.detail().contains("did you mean \"SO_RCVBUF\""), lower.detail());
        DmmConfigException far = assertThrows(DmmConfigException.class,
                () -> create(Map.of("options", Map.of("WINDOW_SCALING", 1L))));
        assertFalse(far.detail().contains("did you mean"), far.detail());
        assertTrue(far.detail().contains("known: SO_SNDBUF"), far.detail());
    }

    @Test
    void theJdkNetOptionsAreKnownByTheNamesUsedToExplainTheirAbsence() {
        // in a JVM without jdk.net, these names are what "needs JDK module jdk.net" is said for
        assertTrue(KernelSocketOptions.names().containsAll(KernelSocketOptions.JDK_NET_NAMES),
                KernelSocketOptions.names()::toString);
        assertEquals(ExtendedSocketOptions.TCP_KEEPIDLE, KernelSocketOptions.byName("TCP_KEEPIDLE"));
        assertNull(KernelSocketOptions.unavailable("TCP_KEEPIDLE"), "this JVM has jdk.net");
    }

    @Test
    void wrongValueTypeSaysWhatWasExpected() {
        DmmConfigException b = assertThrows(DmmConfigException.class,
                () -> create(Map.of("options", Map.of("TCP_NODELAY", "yes"))));
        assertTrue(b.detail().contains("expects a boolean"), b.detail());
        assertTrue(b.detail().contains("string \"yes\""), b.detail());
        DmmConfigException i = assertThrows(DmmConfigException.class,
                () -> create(Map.of("options", Map.of("SO_SNDBUF", true))));
        assertTrue(i.detail().contains("expects an integer"), i.detail());
        DmmConfigException big = assertThrows(DmmConfigException.class,
                () -> create(Map.of("options", Map.of("SO_SNDBUF", 1L << 40))));
        assertTrue(big.detail().contains("out of range"), big.detail());
        DmmConfigException tos = assertThrows(DmmConfigException.class,
                () -> create(Map.of("options", Map.of("IP_TOS", 300L))));
        assertTrue(tos.detail().contains("0..255"), tos.detail());
    }

    @Test
    void sourceMustBeAnAddressLiteral() throws Exception {
        DmmConfigException e = assertThrows(DmmConfigException.class,
                () -> create(Map.of("source", "localhost")));
        assertEquals("stacks[0].source", e.path());
        assertTrue(e.detail().contains("not an IP address literal"), e.detail());
        assertThrows(DmmConfigException.class, () -> create(Map.of("source", 7L)));
        try (StackInstance k = create(Map.of("source", "127.0.0.1"))) {
            assertEquals(InetAddress.getByName("127.0.0.1"), k.sourceAddress());
        }
    }

    @Test
    void optionsAreAppliedWhereTheyApply() throws Exception {
        Map<String, Object> options = new java.util.LinkedHashMap<>();
        options.put("TCP_NODELAY", true);
        options.put("SO_KEEPALIVE", true);
        options.put("SO_RCVBUF", 65536L);
        options.put("SO_BROADCAST", true);
        options.put("TCP_KEEPIDLE", 77L);
        try (StackInstance k = create(Map.of("options", options));
             SocketChannel sc = k.openSocketChannel(null);
             ServerSocketChannel ssc = k.openServerSocketChannel(StandardProtocolFamily.INET);
             DatagramChannel dc = k.openDatagramChannel(StandardProtocolFamily.INET)) {
            assertTrue(sc.isBlocking());
            assertTrue(sc.getOption(StandardSocketOptions.TCP_NODELAY));
            assertTrue(sc.getOption(StandardSocketOptions.SO_KEEPALIVE));
            assertEquals(77, sc.getOption(ExtendedSocketOptions.TCP_KEEPIDLE));
            // the kernel may double the requested buffer size; it must be at least what was asked
            assertTrue(sc.getOption(StandardSocketOptions.SO_RCVBUF) >= 65536);
            assertTrue(ssc.getOption(StandardSocketOptions.SO_RCVBUF) >= 65536);
            assertTrue(dc.getOption(StandardSocketOptions.SO_BROADCAST));
            assertTrue(dc.getOption(StandardSocketOptions.SO_RCVBUF) >= 65536);
            ssc.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            sc.connect(ssc.getLocalAddress());
            try (SocketChannel accepted = ssc.accept()) {
                assertNotNull(accepted);
            }
        }
    }

    @Test
    void defaultsMatchThePlatformWithoutOptions() throws Exception {
        try (StackInstance k = create(Map.of());
             SocketChannel sc = k.openSocketChannel(null);
             SocketChannel plain = SocketChannel.open()) {
            assertEquals(plain.getOption(StandardSocketOptions.TCP_NODELAY), sc.getOption(StandardSocketOptions.TCP_NODELAY));
        }
    }

    @Test
    void optionsThatDoNotApplyToAChannelTypeAreSkippedThere() throws Exception {
        Map<String, Object> options = new java.util.LinkedHashMap<>();
        options.put("SO_LINGER", 3L);
        options.put("IP_MULTICAST_TTL", 4L);
        options.put("SO_REUSEADDR", true);
        options.put("IP_TOS", 16L);
        try (StackInstance k = create(Map.of("options", options));
             SocketChannel sc = k.openSocketChannel(StandardProtocolFamily.INET);
             ServerSocketChannel ssc = k.openServerSocketChannel(StandardProtocolFamily.INET);
             DatagramChannel dc = k.openDatagramChannel(StandardProtocolFamily.INET)) {
            assertEquals(3, sc.getOption(StandardSocketOptions.SO_LINGER));
            assertFalse(sc.supportedOptions().contains(StandardSocketOptions.IP_MULTICAST_TTL));
            assertEquals(16, sc.getOption(StandardSocketOptions.IP_TOS));
            assertTrue(ssc.getOption(StandardSocketOptions.SO_REUSEADDR));
            assertEquals(4, dc.getOption(StandardSocketOptions.IP_MULTICAST_TTL));
            assertFalse(dc.supportedOptions().contains(StandardSocketOptions.SO_LINGER));
            assertEquals(16, dc.getOption(StandardSocketOptions.IP_TOS));
        }
    }

    @Test
    void asynchronousChannelsAreThePlatformsWithTheInstancesOptions() throws Exception {
        Map<String, Object> options = new java.util.LinkedHashMap<>();
        options.put("TCP_NODELAY", true);
        options.put("SO_LINGER", 3L); // not an option of asynchronous channels: skipped there
        options.put("SO_RCVBUF", 65536L);
        try (StackInstance k = create(Map.of("options", options));
             java.nio.channels.AsynchronousSocketChannel c = k.openAsynchronousSocketChannel(TestGroups.platformDefault());
             java.nio.channels.AsynchronousServerSocketChannel s = k.openAsynchronousServerSocketChannel(TestGroups.platformDefault())) {
            assertTrue(c.getClass().getName().startsWith("sun.nio.ch."), c.getClass().getName());
            assertTrue(c.getOption(StandardSocketOptions.TCP_NODELAY));
            assertFalse(c.supportedOptions().contains(StandardSocketOptions.SO_LINGER));
            assertTrue(c.getOption(StandardSocketOptions.SO_RCVBUF) >= 65536);
            assertTrue(s.getOption(StandardSocketOptions.SO_RCVBUF) >= 65536);
        }
    }

    @Test
    void kernelInstancesDeclareWhatThePlatformsSocketsDo() throws Exception {
        // each claim holds: SO_REUSEPORT is taken, asynchronous channels open
        try (StackInstance k = create(Map.of());
             ServerSocketChannel s = k.openServerSocketChannel(null);
             var a = k.openAsynchronousServerSocketChannel(TestGroups.platformDefault())) {
            assertEquals(java.util.EnumSet.allOf(StackCapability.class), java.util.EnumSet.copyOf(k.capabilities()));
            s.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            assertTrue(s.getOption(StandardSocketOptions.SO_REUSEPORT));
            assertTrue(a.isOpen());
        }
    }

    @Test
    void theSpiDefaultForStacksWithoutAsynchronousChannelsNamesTheStack() {
        StackInstance bare = new StackInstance() {
            @Override public String name() { return "bare"; }
            @Override public String type() { return "test"; }
            @Override public boolean supports(Protocol p, java.net.ProtocolFamily f) { return true; }
            @Override public StackHealth health() { return StackHealth.UP; }
            @Override public SocketChannel openSocketChannel(java.net.ProtocolFamily f) { throw new AssertionError(); }
            @Override public ServerSocketChannel openServerSocketChannel(java.net.ProtocolFamily f) { throw new AssertionError(); }
            @Override public DatagramChannel openDatagramChannel(java.net.ProtocolFamily f) { throw new AssertionError(); }
            @Override public InetAddress sourceAddress() { return null; }
            @Override public Map<String, Long> counters() { return Map.of(); }
            @Override public void close() { }
        };
        assertEquals(java.util.Set.of(), bare.capabilities(), "a stack that declares nothing can do nothing more");
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> bare.openAsynchronousSocketChannel(null));
        assertEquals("stack bare has no asynchronous channels", e.getMessage());
        assertThrows(UnsupportedOperationException.class, () -> bare.openAsynchronousServerSocketChannel(null));
    }
}
