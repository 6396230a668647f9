package io.dmm.stack.userspace.tcp;

import static io.dmm.stack.userspace.tcp.Seg.seg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * A random peer (segments with random flags, sequence and ACK numbers around the live window)
 * and a random application against one connection: nothing throws, the sequence variables keep
 * their order, and the stack's bookkeeping agrees with the connection's state.
 */
class TcpConnectionPropertyTest {
    /** The connection's receive buffer (above the stack's 1024-byte minimum, so taken as is). */
    private static final int RECEIVE_BUFFER = 4096;

    @Property(tries = 150)
    void randomPeerAndApplicationKeepInvariants(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        TcpHarness t = new TcpHarness(TcpConfig.builder().challengeAcksPerSecond(1_000_000).build());
        TcpSocketOptions o = new TcpSocketOptions();
        o.receiveBufferSize = RECEIVE_BUFFER;
        o.noDelay = r.nextBoolean();
        TcpListener l = t.locked(() -> t.stack.listen(TcpHarness.LOCAL, 80, 8, o));
        Seg syn = seg().syn().mss(536 + r.nextInt(1000)).window(1 + r.nextInt(65535));
        if (r.nextBoolean()) syn.sackPerm();
        if (r.nextBoolean()) syn.ts(r.nextInt(), 0);
        if (r.nextBoolean()) syn.wscale(r.nextInt(15));
        TcpConnection c = t.acceptWith(l, syn);
        int rightEdge = c.rcvAdv;
        int peerSeq = TcpHarness.PEER_ISS + 1;
        int ts = syn.tsVal == null ? 0 : syn.tsVal + 2;
        for (int step = 0; step < 60; step++) {
            int op = r.nextInt(10);
            switch (op) {
                case 0, 1, 2 -> { // peer data/ACK/FIN around the window
                    int flags = TcpHarness.ACK | (r.nextInt(8) == 0 ? TcpHarness.FIN : 0) | (r.nextInt(30) == 0 ? TcpHarness.RST : 0)
                            | (r.nextInt(40) == 0 ? TcpHarness.SYN : 0);
                    int seq = peerSeq + r.nextInt(6000) - 1000;
                    int ack = c.sndUna + r.nextInt(Math.max(1, c.sndMax - c.sndUna + 1) + 200) - 100;
                    Seg s = seg().flags(flags).seq(seq).ack(ack).window(r.nextInt(65536)).payload(new byte[r.nextInt(1200)]);
                    if (syn.hasTs != null && r.nextInt(5) != 0) s.ts(ts += r.nextInt(3) - 1, 0);
                    t.send(s);
                    if (r.nextBoolean()) peerSeq += s.len();
                }
                case 3 -> t.send(seg().ackOnly().seq(c.rcvNxt).ack(c.sndMax).window(65535)); // a well-behaved ACK
                case 4 -> {
                    try {
                        t.locked(() -> c.write(ByteBuffer.allocate(r.nextInt(9000))));
                    } catch (RuntimeException e) {
                        assertTrue(e.getCause() instanceof IOException, e.toString());
                    }
                }
                case 5 -> {
                    try {
                        t.locked(() -> c.read(ByteBuffer.allocate(r.nextInt(5000))));
                    } catch (RuntimeException e) {
                        assertTrue(e.getCause() instanceof IOException, e.toString());
                    }
                }
                case 6 -> t.advance(r.nextInt(3000));
                case 7 -> {
                    int k = r.nextInt(20);
                    if (k == 0) t.run(c::close);
                    else if (k == 1) t.run(c::shutdownOutput);
                    else if (k == 2) t.run(c::shutdownInput);
                    else if (k == 3) t.run(c::abort);
                }
                default -> t.advance(r.nextInt(50));
            }
            t.drain();
            if (c.state() != TcpState.CLOSED && c.state() != TcpState.TIME_WAIT) {
                assertTrue(SeqNum.le(c.sndUna, c.sndNxt) && SeqNum.le(c.sndNxt, c.sndMax), "send sequence order");
                // the advertised right edge never moves left (RFC 9293 §3.8.6.2.2: no shrinking)...
                assertTrue(SeqNum.ge(c.rcvAdv, rightEdge), "right edge moved left: " + rightEdge + " -> " + c.rcvAdv);
                // ... and never offers more than the receive buffer (RECEIVE_BUFFER bytes) has room for;
                // RCV.NXT may pass it: data beyond the window that fits in the buffer is kept
                assertTrue(SeqNum.le(c.rcvAdv, c.rcvNxt + RECEIVE_BUFFER - c.available()),
                        "window beyond the buffer: edge " + c.rcvAdv + " rcv.nxt " + c.rcvNxt + " unread " + c.available());
                rightEdge = c.rcvAdv;
            }
            int expectedActive = c.state() == TcpState.CLOSED || c.state() == TcpState.TIME_WAIT ? 0 : 1;
            assertEquals(expectedActive, t.locked(t.stack::activeConnections), "active count in " + c.state());
            assertEquals(c.state() == TcpState.CLOSED ? 0 : 1, t.stack.tableSize());
        }
        t.advance(24 * 3600 * 1000L);
        assertEquals(0, t.stack.tableSize() - (c.state() == TcpState.CLOSED ? 0 : 1));
    }
}
