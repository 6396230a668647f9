package io.dmm.stack.userspace.udp;

import static org.junit.jupiter.api.Assertions.*;

import io.dmm.stack.userspace.Counter;
import io.dmm.stack.userspace.Notification;
import io.dmm.stack.userspace.StackCounters;
import io.dmm.stack.userspace.StackLock;
import io.dmm.stack.userspace.wire.Checksum;
import io.dmm.stack.userspace.wire.Ipv4Address;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.BindException;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UdpStackTest {
    static final int LOCAL = Ipv4Address.of(10, 0, 0, 1);
    static final int LOCAL2 = Ipv4Address.of(10, 0, 0, 2);
    static final int PEER = Ipv4Address.of(10, 0, 0, 9);
    static final int OTHER = Ipv4Address.of(10, 0, 0, 8);
    private static final ValueLayout.OfShort SHORT_BE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    FakeEgress egress;
    StackLock lock;
    StackCounters counters;
    UdpStack udp;

    @BeforeEach
    void setUp() {
        egress = new FakeEgress(LOCAL, LOCAL2);
        lock = new StackLock();
        counters = new StackCounters();
        udp = new UdpStack(egress, lock, counters, 64 * 1024, 40000, 40009);
        lock.lock();  // socket calls and ingress run under the stack's lock
    }

    @AfterEach
    void tearDown() {
        if (lock.isHeldByCurrentThread()) lock.unlock();
    }

    /** A datagram as it arrives: header with a correct checksum (unless told otherwise), then the payload. */
    static MemorySegment datagram(int srcIp, int srcPort, int dstIp, int dstPort, String payload) {
        byte[] p = payload.getBytes(StandardCharsets.UTF_8);
        MemorySegment m = MemorySegment.ofArray(new byte[8 + p.length]);
        m.set(SHORT_BE, 0, (short) srcPort);
        m.set(SHORT_BE, 2, (short) dstPort);
        m.set(SHORT_BE, 4, (short) (8 + p.length));
        MemorySegment.copy(p, 0, m, ValueLayout.JAVA_BYTE, 8, p.length);
        int sum = Checksum.transport(m, 0, (int) m.byteSize(), srcIp, dstIp, 17);
        m.set(SHORT_BE, 6, (short) (sum == 0 ? 0xFFFF : sum));
        return m;
    }

    boolean in(int srcIp, int srcPort, int dstIp, int dstPort, String payload) {
        MemorySegment m = datagram(srcIp, srcPort, dstIp, dstPort, payload);
        return udp.ingress(m, 0, (int) m.byteSize(), srcIp, dstIp, false);
    }

    static String take(UdpSocket s) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(2000);
        if (!s.receive(b)) return null;
        b.flip();
        return StandardCharsets.UTF_8.decode(b).toString();
    }

    // ---- binding ----

    @Test
    void aPortIsSharedOnlyByNonOverlappingAddressesOrWhenBothReuse() throws IOException {
        UdpSocket wild = udp.open(0, 5000, false, 0);
        BindException e = assertThrows(BindException.class, () -> udp.open(0, 5000, false, 0));
        assertEquals("Address already in use", e.getMessage());
        assertThrows(BindException.class, () -> udp.open(LOCAL, 5000, false, 0), "the wildcard overlaps every address");
        assertThrows(BindException.class, () -> udp.open(LOCAL, 5000, true, 0), "only one side asked for reuse");

        udp.open(LOCAL, 6000, false, 0);
        udp.open(LOCAL2, 6000, false, 0);  // different specific addresses do not overlap
        assertThrows(BindException.class, () -> udp.open(0, 6000, false, 0));

        udp.open(0, 7000, true, 0);
        udp.open(0, 7000, true, 0);
        udp.open(LOCAL, 7000, true, 0);

        wild.close();
        assertEquals(5000, udp.open(0, 5000, false, 0).localPort(), "closing frees the port");
    }

    @Test
    void datagramsCarryTheSocketsTosAndGroupsGetTheMulticastTtlLoopAndSource() throws IOException {
        int group = Ipv4Address.of(239, 1, 2, 3);
        UdpSocket s = udp.open(0, 5000, false, 0);
        s.setTrafficClass(0xB9);
        s.setMulticastSending(7, false, LOCAL2);
        s.send(ByteBuffer.wrap(new byte[] {1}), PEER, 6000);
        s.send(ByteBuffer.wrap(new byte[] {2}), group, 6000);
        FakeEgress.Sent unicast = egress.sent.get(0);
        FakeEgress.Sent multicast = egress.sent.get(1);
        assertEquals(-1, unicast.ttl(), "unicast: the interface's default TTL");
        assertEquals(0xB9, unicast.tos());
        assertEquals(LOCAL, unicast.srcIp());
        assertEquals(7, multicast.ttl());
        assertEquals(0xB9, multicast.tos());
        assertFalse(multicast.loop());
        assertEquals(LOCAL2, multicast.srcIp(), "IP_MULTICAST_IF's address");
    }

    @Test
    void aGroupsAddressMayBeBoundAndItsSocketSendsFromAnAddressOfOurs() throws IOException {
        int group = Ipv4Address.of(239, 1, 2, 3);
        UdpSocket s = udp.open(group, 5000, false, 0);
        assertEquals(group, s.localIp());
        s.send(ByteBuffer.wrap(new byte[] {1}), PEER, 6000);
        assertEquals(LOCAL, egress.sent.getFirst().srcIp(), "never a group as the source");
    }

    @Test
    void bindingToAnAddressThatIsNotOursFails() {
        BindException e = assertThrows(BindException.class, () -> udp.open(OTHER, 5000, false, 0));
        assertTrue(e.getMessage().startsWith("Cannot assign requested address"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> udp.open(0, 70000, false, 0));
    }

    @Test
    void ephemeralPortsComeFromTheRangeSkipTakenOnesAndRunOut() throws IOException {
        udp.open(0, 40003, false, 0);
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 9; i++) {
            int p = udp.open(0, 0, false, 0).localPort();
            assertTrue(p >= 40000 && p <= 40009, "in range: " + p);
            assertNotEquals(40003, p, "taken port skipped");
            assertTrue(ports.add(p), "distinct: " + p);
        }
        BindException e = assertThrows(BindException.class, () -> udp.open(0, 0, false, 0));
        assertEquals("No ports available", e.getMessage());
    }

    @Test
    void ephemeralStartIsRandom() throws IOException {
        Set<Integer> firsts = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            UdpStack fresh = new UdpStack(egress, lock, counters, 1024, 40000, 49999);
            firsts.add(fresh.open(0, 0, false, 0).localPort());
        }
        assertTrue(firsts.size() > 1, "first ephemeral ports of 20 stacks: " + firsts);
    }

    // ---- demultiplexing ----

    @Test
    void exactAddressBeatsWildcardAndTheNewestWinsAmongEquals() throws IOException {
        UdpSocket wild = udp.open(0, 5000, true, 0);
        UdpSocket exact = udp.open(LOCAL, 5000, true, 0);
        UdpSocket wildNewer = udp.open(0, 5000, true, 0);
        assertTrue(in(PEER, 1234, LOCAL, 5000, "to exact"));
        assertTrue(in(PEER, 1234, LOCAL2, 5000, "to the other address"));
        assertEquals("to exact", take(exact));
        assertNull(take(exact));
        assertEquals("to the other address", take(wildNewer));
        assertNull(take(wild));
        assertEquals(2, counters.get(Counter.UDP_DATAGRAMS_RX));
    }

    @Test
    void aConnectedSocketTakesOnlyItsPeersDatagramsAndBeatsUnconnectedOnes() throws IOException {
        UdpSocket wild = udp.open(0, 5000, true, 0);
        UdpSocket conn = udp.open(0, 5000, true, 0);
        conn.connect(PEER, 53);
        UdpSocket exactNewest = udp.open(LOCAL, 5000, true, 0);
        assertTrue(in(PEER, 53, LOCAL, 5000, "from peer"));
        assertTrue(in(PEER, 54, LOCAL, 5000, "from peer, other port"));
        assertTrue(in(OTHER, 53, LOCAL2, 5000, "from other"));
        assertEquals("from peer", take(conn));
        assertNull(take(conn));
        assertEquals("from peer, other port", take(exactNewest));
        assertEquals("from other", take(wild));
    }

    @Test
    void noMatchingSocketMeansPortUnreachable() throws IOException {
        UdpSocket conn = udp.open(0, 5000, false, 0);
        conn.connect(PEER, 53);
        assertFalse(in(OTHER, 53, LOCAL, 5000, "not from the peer"), "false: the interface answers ICMP port unreachable");
        assertFalse(in(PEER, 53, LOCAL, 5001, "nobody"));
        assertEquals(2, counters.get(Counter.DROP_UDP_NO_PORT));
        conn.close();
        assertFalse(in(PEER, 53, LOCAL, 5000, "after close"));
    }

    @Test
    void broadcastsReachEveryAcceptingSocketAndNeverCauseIcmp() throws IOException {
        UdpSocket a = udp.open(0, 67, true, 0);
        UdpSocket b = udp.open(0, 67, true, 0);
        assertTrue(in(PEER, 68, Ipv4Address.BROADCAST, 67, "hello all"));
        assertEquals("hello all", take(a));
        assertEquals("hello all", take(b));
        assertTrue(in(PEER, 68, Ipv4Address.BROADCAST, 99, "nobody"), "no ICMP error for a broadcast");
        assertEquals(1, counters.get(Counter.DROP_UDP_NO_PORT));
    }

    // ---- receiving ----

    @Test
    void receiveTruncatesLikeTheJdkAndReportsTheSource() throws IOException {
        UdpSocket s = udp.open(0, 5000, false, 0);
        in(PEER, 1234, LOCAL, 5000, "0123456789");
        in(OTHER, 999, LOCAL, 5000, "next");
        ByteBuffer small = ByteBuffer.allocate(4);
        assertTrue(s.receive(small));
        assertEquals("0123", new String(small.array(), StandardCharsets.UTF_8));
        assertFalse(small.hasRemaining());
        assertEquals(PEER, s.lastSourceIp());
        assertEquals(1234, s.lastSourcePort());
        ByteBuffer direct = ByteBuffer.allocateDirect(100);
        assertTrue(s.receive(direct), "the rest of the truncated datagram is gone; the next one comes");
        assertEquals(4, direct.position());
        assertEquals(OTHER, s.lastSourceIp());
        assertEquals(999, s.lastSourcePort());
        assertFalse(s.receive(direct));
        in(PEER, 1, LOCAL, 5000, "");
        ByteBuffer any = ByteBuffer.allocate(10);
        assertTrue(s.receive(any), "an empty datagram is still a datagram");
        assertEquals(0, any.position());
    }

    @Test
    void checksumsAreVerifiedUnlessVouchedAndZeroMeansNone() throws IOException {
        UdpSocket s = udp.open(0, 5000, false, 0);
        MemorySegment bad = datagram(PEER, 1, LOCAL, 5000, "bad");
        bad.set(ValueLayout.JAVA_BYTE, 9, (byte) 'X');  // corrupt the payload
        assertTrue(udp.ingress(bad, 0, (int) bad.byteSize(), PEER, LOCAL, false), "dropped, but no ICMP");
        assertEquals(1, counters.get(Counter.DROP_UDP_CHECKSUM));
        assertNull(take(s));

        assertTrue(udp.ingress(bad, 0, (int) bad.byteSize(), PEER, LOCAL, true));
        assertEquals("bXd", take(s), "the device vouched: not checked");

        MemorySegment none = datagram(PEER, 1, LOCAL, 5000, "no checksum");
        none.set(SHORT_BE, 6, (short) 0);
        assertTrue(udp.ingress(none, 0, (int) none.byteSize(), PEER, LOCAL, false));
        assertEquals("no checksum", take(s));

        MemorySegment wrongPseudo = datagram(PEER, 1, LOCAL, 5000, "ok");
        assertTrue(udp.ingress(wrongPseudo, 0, (int) wrongPseudo.byteSize(), OTHER, LOCAL, false), "pseudo-header covers the source");
        assertEquals(2, counters.get(Counter.DROP_UDP_CHECKSUM));
        assertTrue(in(PEER, 1, LOCAL, 5000, "good"));
        assertEquals("good", take(s));
    }

    @Test
    void malformedDatagramsAreDroppedAndCounted() throws IOException {
        UdpSocket s = udp.open(0, 5000, false, 0);
        MemorySegment d = datagram(PEER, 1, LOCAL, 5000, "payload");
        assertTrue(udp.ingress(d, 0, 7, PEER, LOCAL, true), "shorter than a header");
        d.set(SHORT_BE, 4, (short) 100);
        assertTrue(udp.ingress(d, 0, (int) d.byteSize(), PEER, LOCAL, true), "length field beyond the packet");
        d.set(SHORT_BE, 4, (short) 7);
        assertTrue(udp.ingress(d, 0, (int) d.byteSize(), PEER, LOCAL, true), "length field below the header");
        assertEquals(3, counters.get(Counter.DROP_UDP_MALFORMED));
        assertNull(take(s));

        d.set(SHORT_BE, 4, (short) 11);  // shorter than the IP payload: trailing bytes ignored
        assertTrue(udp.ingress(d, 0, (int) d.byteSize(), PEER, LOCAL, true));
        assertEquals("pay", take(s));
    }

    @Test
    void aFullReceiveBufferDropsAndCounts() throws IOException {
        UdpSocket s = udp.open(0, 5000, false, 64);  // two 20-byte datagrams (32 bytes each with header) fit
        String twenty = "abcdefghijklmnopqrst";
        assertTrue(in(PEER, 1, LOCAL, 5000, twenty));
        assertTrue(in(PEER, 1, LOCAL, 5000, twenty));
        assertTrue(in(PEER, 1, LOCAL, 5000, twenty), "queue full is no reason for ICMP");
        assertEquals(1, counters.get(Counter.DROP_UDP_QUEUE_FULL));
        assertEquals(2, s.queuedDatagrams());
        assertEquals(twenty, take(s));
        assertTrue(in(PEER, 1, LOCAL, 5000, "x"));
        assertEquals(2, s.queuedDatagrams());
        assertTrue(in(PEER, 1, LOCAL, 5000, "too big for a 64-byte buffer: ".repeat(3)));
        assertEquals(2, counters.get(Counter.DROP_UDP_QUEUE_FULL));
    }

    @Test
    void theReceiveRingWrapsWithoutLosingOrMixingDatagrams() throws IOException {
        UdpSocket s = udp.open(0, 5000, false, 1000);
        SplittableRandom random = new SplittableRandom(17);
        java.util.ArrayDeque<String> expected = new java.util.ArrayDeque<>();
        int dropped = 0;
        for (int i = 0; i < 5_000; i++) {
            if (random.nextInt(3) > 0) {
                String p = Integer.toString(i).repeat(1 + random.nextInt(40));
                long before = counters.get(Counter.DROP_UDP_QUEUE_FULL);
                in(PEER, i & 0xFFFF | 1, LOCAL, 5000, p);
                if (counters.get(Counter.DROP_UDP_QUEUE_FULL) == before) expected.add(p);
                else dropped++;
            } else {
                assertEquals(expected.poll(), take(s));
            }
        }
        while (!expected.isEmpty()) assertEquals(expected.poll(), take(s));
        assertNull(take(s));
        assertTrue(dropped > 0, "the test filled the ring at times");
    }

    // ---- sending ----

    @Test
    void sendWritesHeaderPayloadAndAVerifiableChecksum() throws IOException {
        UdpSocket s = udp.open(0, 5000, false, 0);
        ByteBuffer src = ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8));
        assertEquals(5, s.send(src, PEER, 53));
        assertFalse(src.hasRemaining());
        FakeEgress.Sent d = egress.sent.getFirst();
        assertEquals(LOCAL, d.srcIp(), "wildcard socket: the interface picks the source");
        assertEquals(PEER, d.dstIp());
        assertEquals(17, d.protocol());
        MemorySegment m = MemorySegment.ofArray(d.l4());
        assertEquals(5000, m.get(SHORT_BE, 0) & 0xFFFF);
        assertEquals(53, m.get(SHORT_BE, 2) & 0xFFFF);
        assertEquals(13, m.get(SHORT_BE, 4) & 0xFFFF);
        assertNotEquals(0, m.get(SHORT_BE, 6));
        assertTrue(Checksum.transportVerifies(m, 0, 13, LOCAL, PEER, 17));
        assertEquals("hello", new String(d.l4(), 8, 5, StandardCharsets.UTF_8));
        assertEquals(1, counters.get(Counter.UDP_DATAGRAMS_TX));
    }

    @Test
    void sendFromABoundAddressADirectBufferWithOffloadLeavesTheChecksumToTheDevice() throws IOException {
        egress.checksumOffload = true;
        UdpSocket s = udp.open(LOCAL2, 5000, false, 0);
        ByteBuffer src = ByteBuffer.allocateDirect(16);
        src.put("xxdirect".getBytes(StandardCharsets.UTF_8)).flip().position(2);
        assertEquals(6, s.send(src, PEER, 53));
        FakeEgress.Sent d = egress.sent.getFirst();
        assertEquals(LOCAL2, d.srcIp());
        assertEquals(0, MemorySegment.ofArray(d.l4()).get(SHORT_BE, 6));
        assertEquals("direct", new String(d.l4(), 8, 6, StandardCharsets.UTF_8));
        src.position(2);
        s.send(src, PEER, 53);
        assertEquals("direct", new String(egress.sent.get(1).l4(), 8, 6, StandardCharsets.UTF_8), "the same buffer again");
    }

    @Test
    void tooLongMessagesAndMissingBuffersAreReported() throws IOException {
        UdpSocket s = udp.open(0, 5000, false, 0);
        ByteBuffer fits = ByteBuffer.allocate(1500 - 28);
        assertEquals(1472, s.send(fits, PEER, 53));
        ByteBuffer tooLong = ByteBuffer.allocate(1500 - 27);
        IOException e = assertThrows(IOException.class, () -> s.send(tooLong, PEER, 53));
        assertEquals("Message too long", e.getMessage());
        assertEquals(0, tooLong.position());
        egress.noBuffer = true;
        ByteBuffer b = ByteBuffer.allocate(10);
        assertEquals(0, s.send(b, PEER, 53));
        assertEquals(0, b.position(), "nothing consumed when nothing was sent");
        assertEquals(1, egress.sent.size());
    }

    @Test
    void aConnectedSocketSendsToItsPeerOnly() throws IOException {
        UdpSocket s = udp.open(0, 5000, false, 0);
        s.connect(PEER, 53);
        s.send(ByteBuffer.allocate(1), 0, 0);
        assertEquals(PEER, egress.sent.getFirst().dstIp());
        assertThrows(AlreadyConnectedException.class, () -> s.send(ByteBuffer.allocate(1), OTHER, 53));
        s.disconnect();
        assertThrows(IllegalArgumentException.class, () -> s.send(ByteBuffer.allocate(1), 0, 0));
        assertTrue(in(OTHER, 7, LOCAL, 5000, "anyone again"));
        assertEquals("anyone again", take(s));
    }

    @Test
    void datagramsInAndOutAllocateNothingInSteadyState() throws IOException {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        UdpSocket s = udp.open(0, 5000, false, 0);
        CountingNotification n = new CountingNotification();
        s.setNotification(n);
        MemorySegment d = datagram(PEER, 53, LOCAL, 5000, "a datagram of some forty bytes, roughly");
        int length = (int) d.byteSize();
        ByteBuffer heap = ByteBuffer.allocate(100);
        ByteBuffer direct = ByteBuffer.allocateDirect(100);
        direct.put(new byte[40]).flip();
        egress.capture = false;
        long before = 0;
        for (int i = 0; i < 300_000; i++) {
            if (i == 100_000) before = threads.getCurrentThreadAllocatedBytes();  // after the JIT warm-up
            udp.ingress(d, 0, length, PEER, LOCAL, false);
            heap.clear();
            s.receive(heap);
            direct.position(0);
            s.send(direct, PEER, 53);
            heap.flip();
            s.send(heap, PEER, 53);
            if ((i & 1023) == 0) {  // deliver the scheduled notification now and then
                lock.unlock();
                lock.lock();
            }
        }
        long perRound = (threads.getCurrentThreadAllocatedBytes() - before) / 200_000;
        assertEquals(600_000, egress.sendCount);
        assertEquals(600_000, counters.get(Counter.UDP_DATAGRAMS_TX));
        assertTrue(n.delivered > 200, "notifications delivered: " + n.delivered);
        assertEquals(0, perRound, "bytes allocated per round of ingress, receive and two sends");
    }

    // ---- errors, readiness, notifications ----

    @Test
    void portUnreachableForAConnectedPeerFailsTheNextReceiveOnce() throws IOException {
        UdpSocket conn = udp.open(0, 5000, false, 0);
        UdpSocket unconnected = udp.open(0, 5001, false, 0);
        conn.connect(PEER, 53);
        assertEquals(SelectionKey.OP_WRITE, conn.readyOps());
        udp.destinationUnreachable(3, LOCAL, 5000, PEER, 53);
        udp.destinationUnreachable(3, LOCAL, 5001, PEER, 53);
        udp.destinationUnreachable(1, LOCAL, 5000, PEER, 53);  // host unreachable: not reported
        assertEquals(SelectionKey.OP_READ | SelectionKey.OP_WRITE, conn.readyOps(), "the pending error is readable");
        ByteBuffer b = ByteBuffer.allocate(10);
        assertThrows(PortUnreachableException.class, () -> conn.receive(b));
        assertFalse(conn.receive(b), "reported once");
        assertEquals(SelectionKey.OP_WRITE, conn.readyOps());
        assertFalse(unconnected.receive(b), "unconnected sockets are not told");
        udp.destinationUnreachable(3, LOCAL, 5000, OTHER, 53);
        assertFalse(conn.receive(b), "about another destination: not ours");
    }

    private static final class CountingNotification extends Notification {
        int delivered;

        @Override
        protected void deliver() {
            delivered++;
        }
    }

    @Test
    void readinessChangesScheduleTheNotificationDeliveredAfterUnlock() throws IOException {
        UdpSocket s = udp.open(0, 5000, false, 0);
        s.connect(PEER, 53);
        CountingNotification n = new CountingNotification();
        s.setNotification(n);
        in(PEER, 53, LOCAL, 5000, "one");
        in(PEER, 53, LOCAL, 5000, "two");
        assertEquals(0, n.delivered, "not under the lock");
        lock.unlock();
        assertEquals(1, n.delivered, "once per unlock, however many datagrams");
        lock.lock();
        udp.destinationUnreachable(3, LOCAL, 5000, PEER, 53);
        lock.unlock();
        assertEquals(2, n.delivered, "an error is a readiness change too");
        lock.lock();
        in(PEER, 54, LOCAL, 5000, "filtered out");
        lock.unlock();
        assertEquals(2, n.delivered, "nothing queued, nothing to tell");
        lock.lock();
    }

    @Test
    void closeDropsTheQueueAndFurtherCallsFail() throws IOException {
        UdpSocket s = udp.open(0, 5000, false, 0);
        in(PEER, 1, LOCAL, 5000, "queued");
        s.close();
        s.close();
        assertEquals(0, s.readyOps());
        assertThrows(ClosedChannelException.class, () -> s.receive(ByteBuffer.allocate(10)));
        assertThrows(ClosedChannelException.class, () -> s.send(ByteBuffer.allocate(1), PEER, 1));
    }

    @Test
    void shutdownClosesEverySocket() throws IOException {
        UdpSocket a = udp.open(0, 5000, true, 0);
        UdpSocket b = udp.open(0, 5000, true, 0);
        UdpSocket c = udp.open(LOCAL, 6000, false, 0);
        udp.shutdown();
        assertTrue(a.isClosed() && b.isClosed() && c.isClosed());
        assertFalse(in(PEER, 1, LOCAL, 5000, "after shutdown"));
        assertThrows(IOException.class, () -> udp.open(0, 7000, false, 0));
    }
}
