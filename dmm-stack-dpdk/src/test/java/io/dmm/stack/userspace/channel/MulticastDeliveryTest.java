package io.dmm.stack.userspace.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dmm.stack.userspace.wire.Ipv4Address;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Who receives a datagram sent to a group on one userspace instance (over its interface and a
 * loopback device, where the sender's copy comes back by IP_MULTICAST_LOOP): only channels bound to
 * the port (wildcard or the group's address) whose own memberships and source filters take it, as
 * the JDK's channels on Linux; SO_BROADCAST as Linux. Loopback delivery runs to completion inside
 * the send, so a non-blocking receive right after it sees what was delivered.
 */
class MulticastDeliveryTest {
    private static final InetAddress LOCAL = Ipv4Address.toInet(TestStacks.LOCAL);

    private TestStacks.TestStack stack;
    private InetAddress group;
    private InetAddress group2;
    private NetworkInterface nif;
    private DatagramChannel sender;

    @BeforeEach
    void setUp() throws IOException {
        stack = TestStacks.loopback();
        group = InetAddress.getByName("239.255.9.1");
        group2 = InetAddress.getByName("239.255.9.2");
        nif = DatagramChannelChecksTest.ipv4Interface();
        sender = open();
    }

    @AfterEach
    void tearDown() throws IOException {
        sender.close();
        stack.close();
    }

    private DatagramChannel open() throws IOException {
        DatagramChannel ch = UserspaceDatagramChannel.open(SelectorProvider.provider(), stack);
        ch.configureBlocking(false);
        return ch;
    }

    private DatagramChannel receiver(InetAddress bindTo, int port) throws IOException {
        DatagramChannel ch = open();
        ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        ch.bind(new InetSocketAddress(bindTo, port));
        return ch;
    }

    private void send(String text, InetAddress to, int port) throws IOException {
        assertEquals(text.length(), sender.send(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)),
                new InetSocketAddress(to, port)));
    }

    /** The next datagram's text, or null when none is queued. */
    private static String poll(DatagramChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(100);
        if (ch.receive(b) == null) return null;
        return new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII);
    }

    @Test
    void eachSocketOnAPortHearsOnlyTheGroupsItJoined() throws IOException {
        try (DatagramChannel a = receiver(null, 0);
             DatagramChannel b = receiver(null, a.socket().getLocalPort());
             DatagramChannel none = receiver(null, a.socket().getLocalPort())) {
            int port = a.socket().getLocalPort();
            a.join(group, nif);
            b.join(group2, nif);
            send("one", group, port);
            send("two", group2, port);
            assertEquals("one", poll(a));
            assertNull(poll(a));
            assertEquals("two", poll(b));
            assertNull(poll(b));
            assertNull(poll(none), "a socket that joined nothing hears no group");
        }
    }

    @Test
    void aSocketBoundToTheGroupsAddressHearsThatGroupOnly() throws IOException {
        try (DatagramChannel onGroup = receiver(group, 0)) {
            int port = onGroup.socket().getLocalPort();
            onGroup.join(group, nif);
            onGroup.join(group2, nif);
            send("to group2", group2, port);
            send("to group", group, port);
            assertEquals("to group", poll(onGroup));
            assertNull(poll(onGroup));
        }
    }

    @Test
    void sourceFiltersDecide() throws IOException {
        InetAddress elsewhere = InetAddress.getByName("192.0.2.44");
        try (DatagramChannel ssmLocal = receiver(null, 0);
             DatagramChannel ssmElsewhere = receiver(null, ssmLocal.socket().getLocalPort());
             DatagramChannel any = receiver(null, ssmLocal.socket().getLocalPort())) {
            int port = ssmLocal.socket().getLocalPort();
            ssmLocal.join(group, nif, LOCAL);
            ssmElsewhere.join(group, nif, elsewhere);
            MembershipKey k = any.join(group, nif);
            send("a", group, port);
            assertEquals("a", poll(ssmLocal));
            assertNull(poll(ssmElsewhere), "a source-specific member hears its source only");
            assertEquals("a", poll(any));
            k.block(LOCAL);
            send("b", group, port);
            assertEquals("b", poll(ssmLocal));
            assertNull(poll(any), "blocked");
            k.unblock(LOCAL);
            send("c", group, port);
            assertEquals("c", poll(any));
            k.drop();
            send("d", group, port);
            assertNull(poll(any), "dropped");
        }
    }

    @Test
    void multicastLoopOffKeepsTheSendersOwnInstanceOut() throws IOException {
        try (DatagramChannel r = receiver(null, 0)) {
            int port = r.socket().getLocalPort();
            r.join(group, nif);
            sender.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, false);
            send("not looped", group, port);
            sender.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
            send("looped", group, port);
            assertEquals("looped", poll(r));
            assertNull(poll(r));
        }
    }

    @Test
    void optionsSetBeforeTheImplicitBindApply() throws IOException {
        try (DatagramChannel r = receiver(null, 0); DatagramChannel quiet = open()) {
            int port = r.socket().getLocalPort();
            r.join(group, nif);
            quiet.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, false);
            assertEquals(1, quiet.send(ByteBuffer.wrap(new byte[] {'q'}), new InetSocketAddress(group, port)));
            send("loud", group, port);
            assertEquals("loud", poll(r));
            assertNull(poll(r));
        }
    }

    @Test
    void closingAMemberLeavesTheGroupOnTheInterface() throws IOException {
        int g = Ipv4Address.of(group);
        DatagramChannel a = receiver(null, 0);
        DatagramChannel b = receiver(null, a.socket().getLocalPort());
        a.join(group, nif);
        b.join(group, nif);
        a.close();
        stack.lock().lock();
        try {
            assertNotNull(stack.multicast().state(g), "b is still a member");
        } finally {
            stack.lock().unlock();
        }
        b.close();
        stack.lock().lock();
        try {
            assertNull(stack.multicast().state(g));
        } finally {
            stack.lock().unlock();
        }
    }

    @Test
    void broadcastNeedsSoBroadcastAsOnLinux() throws IOException {
        InetSocketAddress limited = new InetSocketAddress(InetAddress.getByName("255.255.255.255"), 9);
        InetSocketAddress subnet = new InetSocketAddress(InetAddress.getByName("10.0.0.255"), 9);
        BindException e = assertThrows(BindException.class, () -> sender.send(ByteBuffer.allocate(1), limited));
        assertEquals("Permission denied", e.getMessage());
        assertThrows(BindException.class, () -> sender.send(ByteBuffer.allocate(1), subnet));
        try (DatagramChannel c = open()) {
            assertThrows(BindException.class, () -> c.connect(limited));
        }
        sender.setOption(StandardSocketOptions.SO_BROADCAST, true);
        assertEquals(1, sender.send(ByteBuffer.allocate(1), limited));
        assertEquals(1, sender.send(ByteBuffer.allocate(1), subnet));
    }
}
