package io.dmm.stack.userspace;

import static org.junit.jupiter.api.Assertions.*;

import io.dmm.api.DmmConfigException;
import io.dmm.api.Protocol;
import io.dmm.api.spi.StackHealth;
import io.dmm.api.spi.StackInstance;
import io.dmm.api.spi.StackProvider;
import io.dmm.api.spi.testing.MapStackSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The instance as DMM sees it: found by type, built from a policy entry, carrying real traffic. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UserspaceStackTest {
    static StackInstance create(String name, Map<String, Object> settings) {
        StackProvider p = ServiceLoader.load(StackProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(sp -> sp.type().equals("userspace")).findFirst().orElseThrow();
        return p.create(MapStackSettings.of(name, "userspace", settings));
    }

    static String echo(SocketChannel client, SocketChannel server, String text) throws IOException {
        client.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        ByteBuffer buf = ByteBuffer.allocate(text.length());
        while (buf.hasRemaining()) assertTrue(server.read(buf) >= 0);
        buf.flip();
        server.write(buf);
        ByteBuffer back = ByteBuffer.allocate(text.length());
        while (back.hasRemaining()) assertTrue(client.read(back) >= 0);
        return new String(back.array(), StandardCharsets.UTF_8);
    }

    @Test
    void loopbackInstanceCarriesTcpAndUdp() throws Exception {
        try (StackInstance s = create("user0", Map.of("address", "198.51.100.1/24", "device", Map.of("driver", "loopback")))) {
            assertEquals("userspace", s.type());
            assertEquals(StackHealth.UP, s.health());
            assertTrue(s.supports(Protocol.TCP, StandardProtocolFamily.INET));
            assertFalse(s.supports(Protocol.TCP, StandardProtocolFamily.INET6));
            // all but the OS's port space: the instance has its own
            assertEquals(java.util.Set.of(io.dmm.api.spi.StackCapability.ASYNCHRONOUS_CHANNELS,
                    io.dmm.api.spi.StackCapability.URGENT_DATA, io.dmm.api.spi.StackCapability.REUSE_PORT), s.capabilities());
            assertEquals(InetAddress.getByName("198.51.100.1"), s.sourceAddress());
            try (ServerSocketChannel ss = s.openServerSocketChannel(null);
                 SocketChannel c = s.openSocketChannel(null)) {
                ss.bind(new InetSocketAddress("198.51.100.1", 0));
                c.connect(ss.getLocalAddress());
                try (SocketChannel a = ss.accept()) {
                    assertEquals("hello userspace", echo(c, a, "hello userspace"));
                    assertEquals(c.getLocalAddress(), a.getRemoteAddress());
                }
            }
            try (DatagramChannel d1 = s.openDatagramChannel(null); DatagramChannel d2 = s.openDatagramChannel(null)) {
                d1.bind(new InetSocketAddress("198.51.100.1", 0));
                d2.send(ByteBuffer.wrap(new byte[] {1, 2, 3}), d1.getLocalAddress());
                ByteBuffer b = ByteBuffer.allocate(10);
                assertNotNull(d1.receive(b));
                assertEquals(3, b.position());
            }
            Map<String, Long> counters = s.counters();
            assertTrue(counters.get("tcp_segments_tx") > 0, counters.toString());
            assertTrue(counters.get("udp_datagrams_rx") > 0, counters.toString());
            assertTrue(counters.containsKey("tcp_active_connections"));
        }
    }

    /**
     * Packets between two sockets of one instance go through the interface's local ring; the
     * writing call delivers them before it returns (run to completion), so the peer can read at
     * once, without waiting for the poll loop (parked here for up to 100 ms).
     */
    @Test
    void aWriteDeliversToASocketOfTheSameInstanceBeforeItReturns() throws Exception {
        try (StackInstance s = create("inline", Map.of("address", "198.51.100.1/24", "idle", "park",
                "device", Map.of("driver", "loopback")))) {
            try (ServerSocketChannel ss = s.openServerSocketChannel(null);
                 SocketChannel c = s.openSocketChannel(null)) {
                ss.bind(new InetSocketAddress("198.51.100.1", 0));
                c.connect(ss.getLocalAddress());
                try (SocketChannel a = ss.accept()) {
                    a.configureBlocking(false);
                    c.configureBlocking(false);
                    ByteBuffer one = ByteBuffer.allocate(1);
                    for (int i = 0; i < 100; i++) {
                        assertEquals(1, c.write(ByteBuffer.wrap(new byte[] {(byte) i})));
                        one.clear();
                        assertEquals(1, a.read(one), "request " + i + " not delivered by the write");
                        assertEquals((byte) i, one.get(0));
                        one.flip();
                        assertEquals(1, a.write(one));
                        one.clear();
                        assertEquals(1, c.read(one), "reply " + i + " not delivered by the write");
                    }
                }
            }
        }
    }

    @Test
    void twoInstancesOnAPairLinkTalkToEachOther() throws Exception {
        try (StackInstance left = create("left", Map.of("address", "10.9.0.1/24", "device", Map.of("driver", "pair", "link", "t1")));
             StackInstance right = create("right", Map.of("address", "10.9.0.2/24", "device", Map.of("driver", "pair", "link", "t1")))) {
            try (ServerSocketChannel ss = right.openServerSocketChannel(null);
                 SocketChannel c = left.openSocketChannel(null)) {
                ss.bind(new InetSocketAddress("10.9.0.2", 7000));
                c.connect(new InetSocketAddress("10.9.0.2", 7000));
                try (SocketChannel a = ss.accept()) {
                    assertEquals("across the link", echo(c, a, "across the link"));
                    assertEquals(InetAddress.getByName("10.9.0.1"), ((InetSocketAddress) a.getRemoteAddress()).getAddress());
                }
            }
            assertTrue(left.counters().get("arp_requests_sent") >= 1);
        }
        // both ends released: the link name can be used again
        try (StackInstance again = create("again", Map.of("address", "10.9.0.1/24", "device", Map.of("driver", "pair", "link", "t1")))) {
            assertEquals(StackHealth.UP, again.health());
        }
    }

    @Test
    void aThirdInstanceOnALinkIsRefused() {
        try (StackInstance a = create("a", Map.of("address", "10.8.0.1/24", "device", Map.of("driver", "pair", "link", "t2")));
             StackInstance b = create("b", Map.of("address", "10.8.0.2/24", "device", Map.of("driver", "pair", "link", "t2")))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> create("c", Map.of("address", "10.8.0.3/24", "device", Map.of("driver", "pair", "link", "t2"))));
            assertTrue(e.getMessage().contains("already connects a and b"), e.getMessage());
        }
    }

    @Test
    void closedInstanceIsDownAndRefusesNewChannels() throws Exception {
        StackInstance s = create("gone", Map.of("address", "198.51.100.1/24", "device", Map.of("driver", "loopback")));
        s.close();
        s.close();
        assertEquals(StackHealth.DOWN, s.health());
        assertThrows(IOException.class, () -> s.openSocketChannel(null));
    }

    @Test
    void badEntryIsAConfigError() {
        assertThrows(DmmConfigException.class, () -> create("bad", Map.of("address", "198.51.100.1/24")));
    }
}
