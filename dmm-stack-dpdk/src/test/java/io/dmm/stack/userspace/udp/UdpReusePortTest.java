package io.dmm.stack.userspace.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.stack.userspace.StackCounters;
import io.dmm.stack.userspace.StackLock;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.BindException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SO_REUSEPORT UDP sockets with Linux's semantics: sockets that all set it share an address and
 * port, each flow's datagrams go to one of them by the flow's hash, a closed one leaves the rest
 * receiving, and a connected socket still gets its peer's datagrams.
 */
class UdpReusePortTest {
    private static final int LOCAL = UdpStackTest.LOCAL;
    private static final int PEER = UdpStackTest.PEER;
    private static final int PORT = 5000;
    private static final int FLOWS = 64;

    private StackLock lock;
    private UdpStack udp;

    @BeforeEach
    void setUp() {
        lock = new StackLock();
        udp = new UdpStack(new FakeEgress(LOCAL, UdpStackTest.LOCAL2), lock, new StackCounters(), 64 * 1024, 40000, 40009);
        lock.lock();
    }

    @AfterEach
    void tearDown() {
        lock.unlock();
    }

    private void in(int srcPort, String payload) {
        MemorySegment m = UdpStackTest.datagram(PEER, srcPort, LOCAL, PORT, payload);
        udp.ingress(m, 0, (int) m.byteSize(), PEER, LOCAL, false);
    }

    /** Which of {@code group} received the datagram just sent (exactly one must have). */
    private static int receiver(List<UdpSocket> group, String payload) throws IOException {
        int owner = -1;
        for (int i = 0; i < group.size(); i++) {
            String got = UdpStackTest.take(group.get(i));
            if (got != null) {
                assertEquals(-1, owner, "a datagram reached two sockets");
                assertEquals(payload, got);
                owner = i;
            }
        }
        assertTrue(owner >= 0, "datagram " + payload + " reached no socket");
        return owner;
    }

    @Test
    void socketsThatAllSetItShareThePortAndOthersGetAddressInUse() throws IOException {
        udp.open(LOCAL, PORT, false, true, 0);
        udp.open(LOCAL, PORT, false, true, 0);
        udp.open(0, PORT, false, true, 0);
        BindException e = assertThrows(BindException.class, () -> udp.open(LOCAL, PORT, false, false, 0));
        assertEquals("Address already in use", e.getMessage());
        assertThrows(BindException.class, () -> udp.open(0, PORT, true, false, 0), "SO_REUSEADDR alone is not enough");

        udp.open(LOCAL, PORT + 1, false, false, 0);
        assertThrows(BindException.class, () -> udp.open(LOCAL, PORT + 1, false, true, 0),
                "the socket already there did not set it");
    }

    @Test
    void flowsAreSpreadByHashAndEachFlowStaysOnItsSocket() throws IOException {
        List<UdpSocket> group = List.of(udp.open(LOCAL, PORT, false, true, 0), udp.open(LOCAL, PORT, false, true, 0),
                udp.open(LOCAL, PORT, false, true, 0));
        int[] owners = new int[FLOWS];
        int[] perSocket = new int[group.size()];
        for (int f = 0; f < FLOWS; f++) {
            in(30000 + f, "flow " + f);
            owners[f] = receiver(group, "flow " + f);
            perSocket[owners[f]]++;
        }
        for (int i = 0; i < group.size(); i++) {
            assertTrue(perSocket[i] >= FLOWS / group.size() / 3, "socket " + i + " got " + perSocket[i] + " of " + FLOWS);
        }
        for (int f = 0; f < FLOWS; f += 7) {
            in(30000 + f, "again " + f);
            assertEquals(owners[f], receiver(group, "again " + f), "flow " + f + " moved");
        }
    }

    @Test
    void aClosedSocketLeavesTheOthersReceiving() throws IOException {
        UdpSocket a = udp.open(LOCAL, PORT, false, true, 0);
        UdpSocket b = udp.open(LOCAL, PORT, false, true, 0);
        a.close();
        for (int f = 0; f < 16; f++) {
            in(30000 + f, "flow " + f);
            assertEquals("flow " + f, UdpStackTest.take(b));
        }
    }

    @Test
    void aConnectedSocketGetsItsPeersDatagramsAndLeavesTheGroupTheRest() throws IOException {
        UdpSocket connected = udp.open(LOCAL, PORT, false, true, 0);
        UdpSocket other = udp.open(LOCAL, PORT, false, true, 0);
        UdpSocket third = udp.open(LOCAL, PORT, false, true, 0);
        connected.connect(PEER, 30000);
        for (int i = 0; i < 8; i++) {
            in(30000, "peer " + i);
            assertEquals("peer " + i, UdpStackTest.take(connected));
        }
        List<UdpSocket> rest = List.of(other, third);
        for (int f = 1; f < 32; f++) {
            in(30000 + f, "flow " + f);
            receiver(rest, "flow " + f);
            assertNull(UdpStackTest.take(connected));
        }
    }
}
