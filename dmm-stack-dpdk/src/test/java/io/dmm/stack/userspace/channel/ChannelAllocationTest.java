package io.dmm.stack.userspace.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.stack.userspace.wire.Ipv4Address;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.spi.SelectorProvider;
import org.junit.jupiter.api.Test;

/**
 * A connected channel's read and write paths allocate nothing per call in steady state, down
 * through the engine and the interface (the loopback delivers in the writing thread, so the whole
 * path is measured on this thread): after a warm-up, less than one byte per round trip.
 */
class ChannelAllocationTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void nonBlockingWriteAndReadAllocateNothingPerCall() throws IOException {
        try (TestStacks.TestStack stack = TestStacks.loopback();
             UserspaceServerSocketChannel server = UserspaceServerSocketChannel.open(SelectorProvider.provider(), stack)) {
            server.bind(new InetSocketAddress(Ipv4Address.toInet(TestStacks.LOCAL), 0));
            UserspaceSocketChannel c = UserspaceSocketChannel.open(SelectorProvider.provider(), stack);
            assertTrue(c.connect(server.getLocalAddress()));
            UserspaceSocketChannel a = (UserspaceSocketChannel) server.accept();
            assertNotNull(a);
            c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            a.setOption(StandardSocketOptions.TCP_NODELAY, true);
            c.configureBlocking(false);
            a.configureBlocking(false);
            ByteBuffer src = ByteBuffer.allocateDirect(64);
            ByteBuffer dst = ByteBuffer.allocateDirect(64);
            ByteBuffer[] scattered = {ByteBuffer.allocateDirect(16), ByteBuffer.allocateDirect(48)};
            for (int i = 0; i < 30_000; i++) roundTrip(c, a, src, dst, scattered); // warm-up: let the JIT settle
            int n = 50_000;
            long before = THREADS.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < n; i++) roundTrip(c, a, src, dst, scattered);
            long perRoundTrip = (THREADS.getCurrentThreadAllocatedBytes() - before) / n;
            assertEquals(0, perRoundTrip, "bytes allocated per write+read");
            c.close();
            a.close();
        }
    }

    @Test
    void aConnectedDatagramChannelsReadAndWriteAllocateNothingPerCall() throws IOException {
        try (TestStacks.TestStack stack = TestStacks.loopback();
             UserspaceDatagramChannel a = UserspaceDatagramChannel.open(SelectorProvider.provider(), stack);
             UserspaceDatagramChannel b = UserspaceDatagramChannel.open(SelectorProvider.provider(), stack)) {
            InetSocketAddress local = new InetSocketAddress(Ipv4Address.toInet(TestStacks.LOCAL), 0);
            a.bind(local);
            b.bind(local);
            a.connect(b.getLocalAddress());
            b.connect(a.getLocalAddress());
            a.configureBlocking(false);
            b.configureBlocking(false);
            ByteBuffer src = ByteBuffer.allocateDirect(100);
            ByteBuffer dst = ByteBuffer.allocateDirect(100);
            for (int i = 0; i < 30_000; i++) datagramRoundTrip(a, b, src, dst);
            int n = 50_000;
            long before = THREADS.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < n; i++) datagramRoundTrip(a, b, src, dst);
            assertEquals(0, (THREADS.getCurrentThreadAllocatedBytes() - before) / n, "bytes allocated per write+read");
        }
    }

    private static void datagramRoundTrip(UserspaceDatagramChannel a, UserspaceDatagramChannel b, ByteBuffer src,
                                          ByteBuffer dst) throws IOException {
        src.clear();
        if (a.write(src) != 100) throw new IOException("not sent");
        dst.clear();
        if (b.read(dst) != 100) throw new IOException("not received");
    }

    /** One write each way, read back with a plain and a scattering read. */
    private static void roundTrip(UserspaceSocketChannel c, UserspaceSocketChannel a, ByteBuffer src, ByteBuffer dst,
                                  ByteBuffer[] scattered) throws IOException {
        src.clear();
        while (src.hasRemaining()) c.write(src);
        dst.clear();
        while (dst.hasRemaining()) {
            if (a.read(dst) < 0) throw new IOException("end of stream");
        }
        src.clear();
        while (src.hasRemaining()) a.write(src);
        scattered[0].clear();
        scattered[1].clear();
        while (scattered[1].hasRemaining()) {
            if (c.read(scattered, 0, 2) < 0) throw new IOException("end of stream");
        }
    }
}
