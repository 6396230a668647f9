package io.dmm.core;

import static org.junit.jupiter.api.Assertions.*;

import io.dmm.core.channel.RoutedDatagramChannel;
import io.dmm.core.channel.RoutedServerSocketChannel;
import io.dmm.core.channel.RoutedSocketChannel;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The provider used directly, in this JVM (where it is not the system provider). Installed
 * system-wide (agent, property) it is tested in child JVMs by dmm-agent's integration tests.
 */
class DmmSelectorProviderTest {
    private final DmmSelectorProvider provider = new DmmSelectorProvider();

    @Test
    void inetChannelsAreRoutedOnesOfTheGlobalRuntime() throws Exception {
        try (var tcp = provider.openSocketChannel(); var tcp6 = provider.openSocketChannel(StandardProtocolFamily.INET6);
             var server = provider.openServerSocketChannel(StandardProtocolFamily.INET);
             var udp = provider.openDatagramChannel(); var udp4 = provider.openDatagramChannel(StandardProtocolFamily.INET)) {
            assertInstanceOf(RoutedSocketChannel.class, tcp);
            assertInstanceOf(RoutedSocketChannel.class, tcp6);
            assertInstanceOf(RoutedServerSocketChannel.class, server);
            assertInstanceOf(RoutedDatagramChannel.class, udp);
            assertInstanceOf(RoutedDatagramChannel.class, udp4);
        }
    }

    @Test
    void pipesComeFromThePlatform() throws Exception {
        Pipe pipe = provider.openPipe();
        try (var sink = pipe.sink(); var source = pipe.source()) {
            assertEquals("sun.nio.ch", sink.getClass().getPackageName());
            sink.write(ByteBuffer.wrap(new byte[] {42}));
            ByteBuffer in = ByteBuffer.allocate(1);
            assertEquals(1, source.read(in));
            assertEquals(42, in.get(0));
        }
    }

    @Test
    void unixDomainChannelsComeFromThePlatformAndWork() throws Exception {
        Path dir = Files.createTempDirectory("dmm-unix");
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve("s"));
        try (ServerSocketChannel server = provider.openServerSocketChannel(StandardProtocolFamily.UNIX).bind(address);
             SocketChannel client = provider.openSocketChannel(StandardProtocolFamily.UNIX)) {
            assertEquals("sun.nio.ch", server.getClass().getPackageName());
            assertTrue(client.connect(address));
            try (SocketChannel accepted = server.accept()) {
                client.write(ByteBuffer.wrap(new byte[] {5}));
                ByteBuffer in = ByteBuffer.allocate(1);
                assertEquals(1, accepted.read(in));
            }
        } finally {
            Files.deleteIfExists(address.getPath());
            Files.delete(dir);
        }
    }

    @Test
    void noInheritedChannelWhenStandardInputIsNotASocket() throws Exception {
        // surefire's forked JVM reads its commands from a pipe on stdin
        assertNull(provider.inheritedChannel());
        assertNull(provider.inheritedChannel());
    }
}
