package io.dmm.stack.userspace.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.nio.channels.spi.SelectorProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * MembershipKey's rules, one test body run on the JDK's DatagramChannel and on the userspace
 * stack's: joining twice gives the same key, conflicting joins, block and unblock, drop and close
 * invalidate, and the java.net adaptor's joinGroup/leaveGroup. Joins are on an interface of this
 * host that the JDK's channel can join on (loopback).
 */
abstract class MulticastMembershipBehaviourTest {
    private InetAddress group;
    private InetAddress source;
    private InetAddress source2;
    private NetworkInterface nif;
    private DatagramChannel ch;

    /** The JDK's own channel. */
    static final class JdkTest extends MulticastMembershipBehaviourTest {
        @Override DatagramChannel open() throws IOException { return DatagramChannel.open(StandardProtocolFamily.INET); }
    }

    /** The userspace stack's channel, over its interface and a loopback device. */
    static final class UserspaceTest extends MulticastMembershipBehaviourTest {
        private TestStacks.TestStack stack;

        @Override
        DatagramChannel open() throws IOException {
            stack = TestStacks.loopback();
            return UserspaceDatagramChannel.open(SelectorProvider.provider(), stack);
        }

        @Override
        void closeStack() {
            if (stack != null) stack.close();
        }
    }

    abstract DatagramChannel open() throws IOException;

    void closeStack() {}

    @BeforeEach
    void setUp() throws IOException {
        group = InetAddress.getByName("239.255.1.2");
        source = InetAddress.getByName("192.0.2.1");
        source2 = InetAddress.getByName("192.0.2.2");
        nif = DatagramChannelChecksTest.ipv4Interface();
        ch = open();
    }

    @AfterEach
    void tearDown() throws IOException {
        ch.close();
        closeStack();
    }

    private static void assertMessage(Class<? extends Throwable> type, String message, Executable call) {
        assertEquals(message, assertThrows(type, call).getMessage());
    }

    @Test
    void aKeyDescribesItsMembershipAndJoiningAgainReturnsIt() throws IOException {
        MembershipKey k = ch.join(group, nif);
        assertTrue(k.isValid());
        assertSame(ch, k.channel());
        assertEquals(group, k.group());
        assertEquals(nif, k.networkInterface());
        assertNull(k.sourceAddress());
        assertSame(k, ch.join(group, nif));
        assertMessage(IllegalStateException.class, "Already have source-specific membership", () -> ch.join(group, nif, source));
        MembershipKey other = ch.join(InetAddress.getByName("239.255.1.3"), nif);
        assertNotSame(k, other);
    }

    @Test
    void sourceSpecificKeysArePerSourceAndCannotBlock() throws IOException {
        MembershipKey k1 = ch.join(group, nif, source);
        assertEquals(source, k1.sourceAddress());
        assertSame(k1, ch.join(group, nif, source));
        MembershipKey k2 = ch.join(group, nif, source2);
        assertNotSame(k1, k2);
        assertMessage(IllegalStateException.class, "Already a member to receive all packets", () -> ch.join(group, nif));
        assertMessage(IllegalStateException.class, "key is source-specific", () -> k1.block(source2));
        k1.drop();
        assertTrue(k2.isValid());
    }

    @Test
    void blockAndUnblockFollowTheJdksRules() throws IOException {
        MembershipKey k = ch.join(group, nif);
        assertSame(k, k.block(source));
        assertSame(k, k.block(source), "blocking a blocked source does nothing");
        assertMessage(IllegalStateException.class, "not blocked", () -> k.unblock(source2));
        assertSame(k, k.unblock(source));
        assertMessage(IllegalStateException.class, "not blocked", () -> k.unblock(source));
        assertMessage(IllegalArgumentException.class, "Source address is a wildcard address",
                () -> k.block(InetAddress.getByName("0.0.0.0")));
        assertMessage(IllegalArgumentException.class, "Source address is multicast address",
                () -> k.block(InetAddress.getByName("239.0.0.9")));
        assertMessage(IllegalArgumentException.class, "Source address is different type to group",
                () -> k.block(InetAddress.getByName("::5")));
    }

    @Test
    void dropInvalidatesTheKeyAndAJoinMakesANewOne() throws IOException {
        MembershipKey k = ch.join(group, nif);
        k.block(source);
        k.drop();
        assertFalse(k.isValid());
        k.drop();  // again: nothing
        assertMessage(IllegalStateException.class, "key is no longer valid", () -> k.block(source2));
        assertMessage(IllegalStateException.class, "key is no longer valid", () -> k.unblock(source));
        MembershipKey again = ch.join(group, nif);
        assertNotSame(k, again);
        assertTrue(again.isValid());
        assertSame(k, k.block(source), "a source blocked before the drop is still blocked in the dead key");
    }

    @Test
    void closingTheChannelInvalidatesItsKeys() throws IOException {
        MembershipKey any = ch.join(group, nif);
        MembershipKey specific = ch.join(InetAddress.getByName("239.255.1.4"), nif, source);
        ch.close();
        assertFalse(any.isValid());
        assertFalse(specific.isValid());
        any.drop();
        assertThrows(java.nio.channels.ClosedChannelException.class, () -> ch.join(group, nif));
    }

    @Test
    void theDatagramSocketAdaptorJoinsAndLeavesAsTheJdks() throws IOException {
        DatagramSocket ds = ch.socket();
        InetSocketAddress g = new InetSocketAddress(group, 0);
        ds.joinGroup(g, nif);
        assertMessage(SocketException.class, "Already a member of group", () -> ds.joinGroup(g, nif));
        MembershipKey k = ch.join(group, nif);
        assertTrue(k.isValid(), "the channel sees the adaptor's membership");
        ds.leaveGroup(g, nif);
        assertFalse(k.isValid(), "leaving drops that membership");
        assertMessage(SocketException.class, "Not a member of group", () -> ds.leaveGroup(g, nif));
        assertMessage(SocketException.class, "Not a multicast address",
                () -> ds.joinGroup(new InetSocketAddress(source, 0), nif));
        assertMessage(IllegalArgumentException.class, "Unresolved address",
                () -> ds.joinGroup(InetSocketAddress.createUnresolved("nowhere.invalid", 0), nif));
        assertMessage(IllegalArgumentException.class, "Unsupported address type", () -> ds.joinGroup(null, nif));
        ds.joinGroup(g, null);  // the default interface
        assertMessage(SocketException.class, "Already a member of group", () -> ds.joinGroup(g, null));
        ds.leaveGroup(g, null);
        ds.close();
        assertMessage(SocketException.class, "Socket is closed", () -> ds.joinGroup(g, nif));
        assertMessage(SocketException.class, "Socket is closed", () -> ds.leaveGroup(g, nif));
    }
}
