package io.dmm.stack.userspace.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.dmm.stack.userspace.StackCounters;
import io.dmm.stack.userspace.StackLock;
import io.dmm.stack.userspace.iface.InterfaceConfig;
import io.dmm.stack.userspace.iface.Ipv4Interface;
import io.dmm.stack.userspace.phy.LoopbackDevice;
import io.dmm.stack.userspace.tcp.IsnGenerator;
import io.dmm.stack.userspace.tcp.TcpConfig;
import io.dmm.stack.userspace.tcp.TcpConnection;
import io.dmm.stack.userspace.tcp.TcpListener;
import io.dmm.stack.userspace.tcp.TcpSocketOptions;
import io.dmm.stack.userspace.tcp.TcpStack;
import io.dmm.stack.userspace.time.ManualClock;
import io.dmm.stack.userspace.udp.Memberships;
import io.dmm.stack.userspace.udp.UdpSocket;
import io.dmm.stack.userspace.udp.UdpStack;
import io.dmm.stack.userspace.wire.Ipv4Address;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * Coverage-guided fuzzing of frame ingress: the fuzzer's bytes become Ethernet frames handed to an
 * IPv4 interface that carries real TCP and UDP (a listener on port 80, an established connection
 * to it, a UDP socket on port 53), at virtual time. Nothing a frame holds may throw out of the
 * stack, and afterwards the stack must still work: no frame is left unhandled, no device buffer
 * lost, and the established connection carries a round trip each way, or, if the input closed it
 * (legitimately: Jazzer's comparison hooks do find exact sequence numbers, so a valid RST or FIN
 * is reachable), a new connection to the listener does.
 *
 * <p>Input format, so seeds are readable: records of {@code [vouched: 1 bit, advance ms: 7 bits]
 * [length: 2 bytes, big-endian][frame]}; a short last record takes what is left. A vouched frame
 * comes "checksums verified" (the offload path), others are verified by the stack. A fresh stack per input keeps every
 * finding reproducible from its input alone. Without {@code JAZZER_FUZZ} this runs the seeds under
 * {@code FrameIngressFuzzTestInputs/frames/} (valid SYN, ARP request, ICMP echo) as a regression
 * test; the {@code fuzz} surefire execution fuzzes for {@code maxDuration}.
 */
class FrameIngressFuzzTest {
    static final long MAC = LoopbackDevice.DEFAULT_MAC;
    static final int IP = Ipv4Address.parse("10.0.0.1");
    static final int SERVER_PORT = 80;
    static final int UDP_PORT = 53;
    static final TcpConfig TCP = TcpConfig.builder().initialRto(Duration.ofMillis(50)).minRto(Duration.ofMillis(5))
            .timeWait(Duration.ofMillis(100)).defaultSendBuffer(4096).defaultReceiveBuffer(4096).build();

    @FuzzTest(maxDuration = "30s")
    void frames(byte[] input) throws IOException {
        try (Harness h = new Harness()) {
            h.lock.lock();
            try {
                h.feed(input);
                h.settle();
                h.checkInvariants();
            } finally {
                h.lock.unlock();
            }
        }
    }

    /** One stack, built and connected afresh per input; everything runs under its lock on this thread. */
    static final class Harness implements AutoCloseable {
        final ManualClock clock = new ManualClock();
        final StackLock lock = new StackLock();
        final StackCounters counters = new StackCounters();
        final LoopbackDevice device = new LoopbackDevice("fuzz.lo", 1500, 64, MAC);
        final Ipv4Interface iface = new Ipv4Interface(device, InterfaceConfig.builder().address("10.0.0.1/24").build(),
                clock, counters);
        final TcpStack tcp = new TcpStack(iface, lock, clock, counters, TCP, new IsnGenerator(1, 2), 3);
        final UdpStack udp = new UdpStack(iface, lock, counters, 64 * 1024, 49152, 65535);
        final TcpListener listener;
        final TcpConnection client;
        final TcpConnection server;
        final UdpSocket udpSocket;

        Harness() throws IOException {
            iface.setTransport(6, tcp);
            iface.setTransport(17, udp);
            lock.lock();
            try {
                listener = tcp.listen(0, SERVER_PORT, 8, new TcpSocketOptions());
                udpSocket = udp.open(0, UDP_PORT, false, 0);
                // a member of a group, so datagrams to it and IGMP queries about it reach real state
                Memberships groups = new Memberships(iface.multicast());
                groups.join(Ipv4Address.parse("239.1.2.3"), 0);
                udpSocket.setMemberships(groups);
                client = connect();
                server = listener.accept();
                assertNotNull(server, "handshake did not complete");
            } finally {
                lock.unlock();
            }
        }

        TcpConnection connect() throws IOException {
            int port = tcp.bind(0, 0, false);
            TcpConnection c = tcp.connect(0, port, IP, SERVER_PORT, new TcpSocketOptions());
            settle();
            assertTrue(c.isEstablished(), () -> "not established: " + c);
            return c;
        }

        void feed(byte[] input) {
            int at = 0;
            while (at < input.length) {
                int head = input[at++] & 0xFF;
                // Vouched frames skip checksum verification, as from a device with receive offload:
                // the fuzzer's mutations then reach the parsers and TCP instead of dying at a checksum.
                boolean vouched = (head & 0x80) != 0;
                clock.advanceMillis(head & 0x7F);
                if (at + 2 > input.length) break;
                int length = Math.min((input[at] & 0xFF) << 8 | input[at + 1] & 0xFF, input.length - at - 2);
                at += 2;
                iface.frame(MemorySegment.ofArray(input), at, length, vouched);
                at += length;
                settle();
            }
        }

        /** Runs what the poll loop would: frames looped back, timers, local delivery, until quiet. */
        void settle() {
            for (int round = 0; round < 1000; round++) {
                long now = clock.nanos();
                int work = device.receive(iface, 64);
                iface.poll(now);
                tcp.poll(now);
                iface.flush();
                if (work == 0 && !device.rxPending() && iface.localPending() == 0) return;
            }
            throw new AssertionError("the stack did not settle: frames keep coming back");
        }

        void checkInvariants() throws IOException {
            assertFalse(device.rxPending(), "frames left unhandled");
            assertEquals(0L, device.counters().get("tx_full"), "device ran out of buffers");
            if (client.isEstablished() && server.isEstablished()) {
                roundTrip(client, server, 1000);
                roundTrip(server, client, 1000);
                return;
            }
            // The input closed or reset it (legitimately, or the round trip would have said so).
            // Let what it began (retransmissions, TIME_WAIT) play out in deadline order, within 2 s
            // of virtual time (TIME_WAIT is 100 ms), then prove the stack still accepts and carries
            // a new connection.
            long end = clock.nanos() + 2_000_000_000L;
            for (int i = 0; i < 64 && tcp.nextDeadline() <= end; i++) {
                clock.advanceTo(Math.max(clock.nanos(), tcp.nextDeadline()));
                settle();
            }
            clock.advanceTo(end);
            settle();
            TcpConnection c = connect();
            TcpConnection s = listener.accept();
            assertNotNull(s, "the listener no longer accepts");
            roundTrip(c, s, 1500);
        }

        void roundTrip(TcpConnection a, TcpConnection b, int bytes) throws IOException {
            byte[] data = new byte[bytes];
            for (int i = 0; i < bytes; i++) data[i] = (byte) (i * 31 + 7);
            ByteBuffer out = ByteBuffer.wrap(data);
            ByteBuffer in = ByteBuffer.allocate(bytes);
            for (int i = 0; i < 100 && in.hasRemaining(); i++) {
                if (out.hasRemaining()) a.write(out);
                settle();
                b.read(in);
                clock.advanceMillis(10);
            }
            assertArrayEquals(data, in.array(), "round trip on " + a);
        }

        @Override
        public void close() {
            lock.lock();
            try {
                tcp.shutdown();
                udp.shutdown();
            } finally {
                lock.unlock();
            }
            device.close();
        }
    }
}
