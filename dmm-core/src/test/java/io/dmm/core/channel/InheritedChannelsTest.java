package io.dmm.core.channel;

import static org.junit.jupiter.api.Assertions.*;

import io.dmm.api.RouteExplanation;
import io.dmm.api.StackStats;
import io.dmm.core.runtime.DmmRuntime;
import io.dmm.core.testsupport.TestPolicy;
import io.dmm.core.testsupport.TestStacks;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** JDK channels standing in for inherited ones (System.inheritedChannel itself runs in dmm-agent's child JVMs). */
class InheritedChannelsTest {
    private static final InetSocketAddress LOOPBACK_ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    /** k1 first in the file but k2 is the default: the default's kernel stack takes inherited sockets. */
    private static DmmRuntime runtime() {
        return new DmmRuntime(new TestPolicy().kernel("k1").kernel("k2").defaults("k2"), TestStacks.providers());
    }

    private static StackStats stack(DmmRuntime rt, String name) {
        return rt.stats().stacks().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void anInheritedServerBecomesARoutedServerOnTheDefaultsKernelStackAndAcceptsRoutedChannels() throws Exception {
        try (DmmRuntime rt = runtime(); ServerSocketChannel jdk = ServerSocketChannel.open().bind(LOOPBACK_ANY_PORT)) {
            Channel adopted = InheritedChannels.adopt((RoutedChannelProvider) rt.provider(), jdk);
            RoutedServerSocketChannel server = assertInstanceOf(RoutedServerSocketChannel.class, adopted);
            assertSame(rt.provider(), server.provider());
            assertEquals(jdk.getLocalAddress(), server.getLocalAddress());
            RouteExplanation how = rt.routeOf(server).orElseThrow();
            assertEquals(InheritedChannels.SOURCE, how.source());
            assertEquals(java.util.List.of("k2"), how.stacks());
            try (SocketChannel client = SocketChannel.open(server.getLocalAddress());
                 SocketChannel accepted = server.accept()) {
                RoutedSocketChannel routed = assertInstanceOf(RoutedSocketChannel.class, accepted);
                assertEquals("k2", routed.stackName());
                client.write(ByteBuffer.wrap(new byte[] {7, 8}));
                ByteBuffer in = ByteBuffer.allocate(2);
                while (in.hasRemaining()) {
                    assertTrue(accepted.read(in) > 0);
                }
                assertArrayEquals(new byte[] {7, 8}, in.array());
            }
            assertEquals(2, stack(rt, "k2").socketsOpened()); // the listener and the accepted one
            assertEquals(0, stack(rt, "k1").socketsOpened());
            server.close();
            assertFalse(jdk.isOpen(), "closing the routed server closes the inherited one");
        }
    }

    @Test
    void anInheritedConnectionBecomesARoutedConnectedChannel() throws Exception {
        try (DmmRuntime rt = runtime(); ServerSocketChannel peer = ServerSocketChannel.open().bind(LOOPBACK_ANY_PORT);
             SocketChannel jdk = SocketChannel.open(peer.getLocalAddress()); SocketChannel far = peer.accept()) {
            RoutedSocketChannel ch = assertInstanceOf(RoutedSocketChannel.class, InheritedChannels.adopt((RoutedChannelProvider) rt.provider(), jdk));
            assertTrue(ch.isConnected());
            assertEquals("k2", ch.stackName());
            ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            ByteBuffer in = ByteBuffer.allocate(3);
            while (in.hasRemaining()) {
                far.read(in);
            }
            assertArrayEquals(new byte[] {1, 2, 3}, in.array());
            assertEquals(3, stack(rt, "k2").bytesOut());
        }
    }

    @Test
    void anInheritedDatagramChannelBecomesRouted() throws Exception {
        try (DmmRuntime rt = runtime(); DatagramChannel jdk = DatagramChannel.open().bind(LOOPBACK_ANY_PORT);
             DatagramChannel sender = DatagramChannel.open()) {
            RoutedDatagramChannel ch = assertInstanceOf(RoutedDatagramChannel.class, InheritedChannels.adopt((RoutedChannelProvider) rt.provider(), jdk));
            assertEquals("k2", ch.stackName());
            sender.send(ByteBuffer.wrap(new byte[] {9}), ch.getLocalAddress());
            ByteBuffer in = ByteBuffer.allocate(4);
            assertNotNull(ch.receive(in));
            assertEquals(1, in.position());
        }
    }

    @Test
    void unixDomainAndPoliciesWithoutAKernelStackKeepTheJdkChannel() throws Exception {
        Path dir = Files.createTempDirectory("dmm-inherited");
        Path sock = dir.resolve("s");
        try (DmmRuntime rt = runtime();
             ServerSocketChannel unix = ServerSocketChannel.open(StandardProtocolFamily.UNIX)
                     .bind(UnixDomainSocketAddress.of(sock))) {
            assertSame(unix, InheritedChannels.adopt((RoutedChannelProvider) rt.provider(), unix));
        } finally {
            Files.deleteIfExists(sock);
            Files.delete(dir);
        }
        try (DmmRuntime noKernel = new DmmRuntime(new TestPolicy().stack("r", "refusing", java.util.Map.of())
                .defaults("r"), TestStacks.providers());
             ServerSocketChannel jdk = ServerSocketChannel.open().bind(LOOPBACK_ANY_PORT)) {
            assertSame(jdk, InheritedChannels.adopt((RoutedChannelProvider) noKernel.provider(), jdk));
        }
        try (DmmRuntime rt = runtime()) {
            assertNull(InheritedChannels.adopt((RoutedChannelProvider) rt.provider(), null));
        }
    }
}
