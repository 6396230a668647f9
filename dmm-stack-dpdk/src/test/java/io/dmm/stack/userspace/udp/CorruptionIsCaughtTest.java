package io.dmm.stack.userspace.udp;

import static org.junit.jupiter.api.Assertions.*;

import io.dmm.stack.userspace.Counter;
import io.dmm.stack.userspace.StackCounters;
import io.dmm.stack.userspace.StackLock;
import io.dmm.stack.userspace.phy.Device;
import io.dmm.stack.userspace.phy.DevicePair;
import io.dmm.stack.userspace.phy.FaultInjector;
import io.dmm.stack.userspace.phy.FaultPlan;
import io.dmm.stack.userspace.phy.RxHandler;
import io.dmm.stack.userspace.time.ManualClock;
import io.dmm.stack.userspace.wire.Checksum;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * The point of a corrupting link: UDP datagrams sent over a {@link FaultInjector} that flips a bit in
 * every frame never reach a socket, because the injector stops vouching and the checksums (IPv4
 * header here in the test's stand-in for the interface, UDP in {@link UdpStack}) catch every flip.
 */
class CorruptionIsCaughtTest {
    private static final ValueLayout.OfShort SHORT_BE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt INT_BE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int A = UdpStackTest.LOCAL;
    private static final int B = UdpStackTest.PEER;

    @Test
    void everyCorruptedDatagramIsDroppedAndCleanOnesAllArrive() throws IOException {
        assertEquals(0, run(0.0), "no corruption: nothing dropped");
        assertEquals(5_000, run(1.0), "a flipped bit in every frame: every one dropped");
    }

    /** Sends 5000 datagrams from a to b over the pair; returns how many b's checks dropped. */
    private static int run(double corruption) throws IOException {
        int n = 5_000;
        ManualClock clock = new ManualClock();
        try (DevicePair pair = DevicePair.create(1500, 64, false)) {
            FaultInjector a = new FaultInjector(pair.a(), FaultPlan.builder().seed(8).corruption(corruption).build(), clock);
            Device b = pair.b();
            FakeEgress egressA = new FakeEgress(A);
            egressA.checksumOffload = a.txChecksumOffload();  // what a stack would ask its device
            assertFalse(egressA.checksumOffload);
            StackLock lock = new StackLock();
            StackCounters countersB = new StackCounters();
            UdpStack udpA = new UdpStack(egressA, lock, new StackCounters(), 65536, 40000, 40100);
            UdpStack udpB = new UdpStack(new FakeEgress(B), lock, countersB, 1 << 20, 40000, 40100);
            lock.lock();
            try {
                UdpSocket sender = udpA.open(0, 0, false, 0);
                UdpSocket receiver = udpB.open(0, 9000, false, 0);
                int[] ipDropped = {0};
                RxHandler iface = (m, o, l, v) -> {
                    assertFalse(v, "an unvouched link");
                    if (!Checksum.verifies(m, o + 14, 20)) {
                        ipDropped[0]++;
                        return;
                    }
                    int total = m.get(SHORT_BE, o + 16) & 0xFFFF;
                    if (total < 28 || total > l - 14) {
                        ipDropped[0]++;
                        return;
                    }
                    udpB.ingress(m, o + 34, total - 20, m.get(INT_BE, o + 26), m.get(INT_BE, o + 30), v);
                };
                ByteBuffer payload = ByteBuffer.allocate(200);
                ByteBuffer sink = ByteBuffer.allocate(300);
                int received = 0;
                for (int i = 0; i < n; i++) {
                    payload.clear();
                    for (int j = 0; j < 50 + i % 150; j++) payload.put((byte) (i * 7 + j));
                    payload.flip();
                    assertEquals(payload.remaining(), sender.send(payload, B, 9000));
                    frame(a, egressA.sent.removeFirst().l4());
                    a.txFlush();
                    b.receive(iface, 8);
                    sink.clear();
                    while (receiver.receive(sink)) {
                        received++;
                        sink.clear();
                    }
                }
                long udpDropped = countersB.get(Counter.DROP_UDP_CHECKSUM) + countersB.get(Counter.DROP_UDP_MALFORMED)
                        + countersB.get(Counter.DROP_UDP_NO_PORT);
                assertEquals(n, received + ipDropped[0] + udpDropped);
                if (corruption > 0) assertTrue(countersB.get(Counter.DROP_UDP_CHECKSUM) > n / 2, "most flips land in the UDP part");
                return n - received;
            } finally {
                lock.unlock();
            }
        }
    }

    /** Wraps a UDP datagram in IPv4 (from A to B, header checksum set) and Ethernet, and submits it. */
    private static void frame(Device d, byte[] udp) {
        long o = d.txAcquire();
        assertTrue(o >= 0);
        MemorySegment m = d.memory();
        m.asSlice(o, 14).fill((byte) 0x11);
        m.set(SHORT_BE, o + 12, (short) 0x0800);
        long ip = o + 14;
        m.set(ValueLayout.JAVA_BYTE, ip, (byte) 0x45);
        m.set(ValueLayout.JAVA_BYTE, ip + 1, (byte) 0);
        m.set(SHORT_BE, ip + 2, (short) (20 + udp.length));
        m.set(INT_BE, ip + 4, 0);
        m.set(ValueLayout.JAVA_BYTE, ip + 8, (byte) 64);
        m.set(ValueLayout.JAVA_BYTE, ip + 9, (byte) 17);
        m.set(SHORT_BE, ip + 10, (short) 0);
        m.set(INT_BE, ip + 12, A);
        m.set(INT_BE, ip + 16, B);
        m.set(SHORT_BE, ip + 10, (short) Checksum.compute(m, ip, 20));
        MemorySegment.copy(udp, 0, m, ValueLayout.JAVA_BYTE, ip + 20, udp.length);
        d.txSubmit(o, 34 + udp.length);
    }
}
