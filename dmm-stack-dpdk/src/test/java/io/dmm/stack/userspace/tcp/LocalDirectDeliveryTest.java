package io.dmm.stack.userspace.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.stack.userspace.Counter;
import io.dmm.stack.userspace.StackCounters;
import io.dmm.stack.userspace.StackLock;
import io.dmm.stack.userspace.iface.InterfaceConfig;
import io.dmm.stack.userspace.iface.Ipv4Interface;
import io.dmm.stack.userspace.phy.LoopbackDevice;
import io.dmm.stack.userspace.time.ManualClock;
import io.dmm.stack.userspace.wire.Ipv4Address;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two connections of one stack over a real {@link Ipv4Interface}, at virtual time: their segments
 * go through the interface's local ring with the payload left in the sender's send ring, and the
 * receiver copies it from there ({@code tcp_local_direct_segments}). Ring sizes that are no
 * multiple of the segment size make segments straddle the send ring's wrap.
 */
class LocalDirectDeliveryTest {
    static final int IP = Ipv4Address.of(10, 9, 0, 1);
    static final int PORT = 7000;

    final ManualClock clock = new ManualClock();
    final StackLock lock = new StackLock();
    final StackCounters counters = new StackCounters();
    final LoopbackDevice device = new LoopbackDevice(9000, 16);
    final Ipv4Interface iface = new Ipv4Interface(device, InterfaceConfig.builder().address(IP, 24).build(), clock, counters);
    final TcpStack stack = new TcpStack(iface, lock, clock, counters, TcpConfig.defaults(), new IsnGenerator(3, 4), 5);

    @AfterEach
    void closeDevice() {
        device.close();
    }

    @Test
    void bytesGoFromSendRingToReceiveRingExactlyBothWays() throws IOException {
        iface.setTransport(6, stack);
        TcpConnection[] ends = open(100_003, 70_001);
        TcpConnection client = ends[0], server = ends[1];
        int total = 3 * 1024 * 1024 + 17;
        byte[] up = pattern(total, 11), down = pattern(total, 29);
        byte[] gotUp = new byte[total], gotDown = new byte[total];
        ByteBuffer srcUp = ByteBuffer.wrap(up), srcDown = ByteBuffer.wrap(down);
        ByteBuffer dstUp = ByteBuffer.wrap(gotUp), dstDown = ByteBuffer.wrap(gotDown);
        lock.lock();
        try {
            for (int idle = 0; dstUp.hasRemaining() || dstDown.hasRemaining(); ) {
                int before = dstUp.position() + dstDown.position();
                if (srcUp.hasRemaining()) client.write(srcUp.limit(Math.min(total, srcUp.position() + 40_000)));
                if (srcDown.hasRemaining()) server.write(srcDown.limit(Math.min(total, srcDown.position() + 33_333)));
                srcUp.limit(total);
                srcDown.limit(total);
                iface.drainLocal();
                if (dstUp.hasRemaining()) server.read(dstUp.limit(Math.min(total, dstUp.position() + 50_000)));
                if (dstDown.hasRemaining()) client.read(dstDown.limit(Math.min(total, dstDown.position() + 27_000)));
                dstUp.limit(total);
                dstDown.limit(total);
                iface.drainLocal();
                if (dstUp.position() + dstDown.position() == before) {
                    // nothing moved: let the delayed ACK or a window update timer run
                    clock.advanceMillis(50);
                    stack.poll(clock.nanos());
                    iface.poll(clock.nanos());
                    assertTrue(++idle < 1000, "stuck at " + dstUp.position() + " / " + dstDown.position());
                }
            }
        } finally {
            lock.unlock();
        }
        assertArrayEquals(up, gotUp);
        assertArrayEquals(down, gotDown);
        long direct = counters.get(Counter.TCP_LOCAL_DIRECT_SEGMENTS);
        // at most 9000 - 40 - 12 (timestamps) bytes per segment
        assertTrue(direct >= 2L * total / 8948, "every data segment went ring to ring: " + direct);
        assertEquals(0, counters.get(Counter.DROP_TCP_LOCAL_PAYLOAD_GONE));
        assertEquals(0, counters.get(Counter.TCP_RETRANSMITS));
        assertEquals(0L, device.counters().get("tx_frames"), "local segments never reach the device");
    }

    /**
     * The segment is queued, then the sender aborts (its ring is freed) before the segment is
     * delivered: the receiver must not read the freed ring. The segment counts as lost, and the
     * RST behind it resets the receiver.
     */
    @Test
    void aSegmentWhoseSenderAbortedIsDroppedAsLost() throws IOException {
        iface.setTransport(6, stack);
        TcpConnection[] ends = open(0, 0);
        TcpConnection client = ends[0], server = ends[1];
        lock.lock();
        try {
            client.setNoDelay(true);
            assertEquals(5, client.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5})));
            assertEquals(1, iface.localPending(), "the data segment waits in the local ring");
            client.abort();
            iface.drainLocal();
            assertEquals(1, counters.get(Counter.DROP_TCP_LOCAL_PAYLOAD_GONE));
            assertEquals(0, counters.get(Counter.TCP_LOCAL_DIRECT_SEGMENTS));
            assertEquals(TcpState.CLOSED, server.state());
            assertThrows(IOException.class, () -> server.read(ByteBuffer.allocate(10)));
        } finally {
            lock.unlock();
        }
    }

    /** Connects a client to a listener of the same stack; buffer sizes 0 are the defaults. */
    private TcpConnection[] open(int sendBuffer, int receiveBuffer) throws IOException {
        TcpSocketOptions o = new TcpSocketOptions();
        o.sendBufferSize = sendBuffer;
        o.receiveBufferSize = receiveBuffer;
        lock.lock();
        try {
            TcpListener l = stack.listen(IP, PORT, 8, o);
            TcpConnection client = stack.connect(IP, stack.bind(IP, 0, false), IP, PORT, o);
            for (int i = 0; i < 4; i++) iface.drainLocal();
            TcpConnection server = l.accept();
            assertNotNull(server, "handshake did not complete");
            assertEquals(TcpState.ESTABLISHED, client.state());
            return new TcpConnection[] {client, server};
        } finally {
            lock.unlock();
        }
    }

    private static byte[] pattern(int n, int salt) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) ((i % 251) * 7 + salt);
        return b;
    }
}
