package io.dmm.stack.userspace.tcp;

import static io.dmm.stack.userspace.tcp.Seg.seg;
import static io.dmm.stack.userspace.tcp.TcpHarness.PEER_ISS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.stack.userspace.Counter;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * Connection memory that follows the data, at virtual time: buffers take pool chunks as bytes
 * are queued and give them back as they are read or acknowledged; the receive window grows only
 * when the application keeps up; the pool's limit drops out-of-order data first and counts it.
 */
class TcpBufferMemoryTest {
    private static final int CHUNK = ChunkPool.CHUNK_SIZE;
    private final TcpHarness t = new TcpHarness();

    private static String text(int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) b.append((char) ('a' + i % 26));
        return b.toString();
    }

    private long chunksInUse() {
        return t.locked(() -> t.stack.bufferPool().chunksInUse());
    }

    /** Window scaling both ways (our shift is 3 for the 256 KiB default), no timestamps or SACK. */
    private TcpConnection acceptScaled() {
        return t.acceptWith(t.listen(), seg().syn().mss(1460).wscale(7).window(65535));
    }

    /**
     * The peer sends a whole window in full segments starting at {@code seq} (all acknowledged at
     * once, time standing still), the application reads what it is given up to {@code readLimit},
     * then one round trip (1 ms) passes. Returns the window (bytes) and right edge of the last ACK,
     * checking the right edge never moved left.
     */
    private final class Peer {
        int seq = PEER_ISS + 1;
        int window = 65_535;
        int rightEdge = seq + window;

        void round(TcpConnection c, int readLimit) {
            for (int sent = 0; sent < window; ) {
                int len = Math.min(1460, window - sent);
                t.send(seg().ackOnly().seq(seq).ack(c.iss + 1).window(1000).payload(text(len)));
                seq += len;
                sent += len;
            }
            t.readCount(c, readLimit);
            t.advance(1);
            Seg last = null;
            while (!t.egress.sent.isEmpty()) last = t.recv();
            assertTrue(last != null, "the data was acknowledged");
            int edge = last.ack + (last.window << 3);
            assertTrue(edge - rightEdge >= 0, "the right edge moved left: " + rightEdge + " -> " + edge);
            rightEdge = edge;
            window = edge - seq;
        }
    }

    @Test
    void windowGrowsTowardTheBufferWhileTheApplicationKeepsUp() {
        TcpConnection c = acceptScaled();
        Peer p = new Peer();
        p.round(c, 1 << 20);
        assertTrue(p.window <= 65_536, "starts modest: " + p.window);
        int rounds = 0;
        while (p.window < 200 * 1024 && rounds < 20) {
            p.round(c, 1 << 20);
            rounds++;
        }
        assertTrue(p.window >= 200 * 1024, "grew to " + p.window + " in " + rounds + " round trips");
        assertTrue(p.window <= 256 * 1024, "never beyond SO_RCVBUF: " + p.window);
        assertEquals(0, chunksInUse(), "everything was read: no chunk held");
    }

    @Test
    void windowStaysModestWhenTheApplicationReadsSlowly() {
        TcpConnection c = acceptScaled();
        Peer p = new Peer();
        // reads 4 KiB per round trip: less than the ten segments a window is first sized for
        for (int i = 0; i < 20; i++) p.round(c, 4 * 1024);
        int readable = c.available();
        assertTrue(readable + p.rightEdge - p.seq <= 65_536,
                "the window grew for a slow reader: " + readable + " unread + " + (p.rightEdge - p.seq) + " offered");
        // what the application has not read is all the stack holds: at most 64 KiB in chunks, not 256 KiB
        assertTrue(chunksInUse() <= 65_536 / CHUNK + 1, "chunks held: " + chunksInUse());
    }

    @Test
    void anExplicitReceiveBufferIsOfferedAtOnceWithoutTuning() {
        TcpSocketOptions o = new TcpSocketOptions();
        o.receiveBufferSize = 256 * 1024;
        TcpListener l = t.locked(() -> t.stack.listen(TcpHarness.LOCAL, t.localPort, 8, o));
        TcpConnection c = t.acceptWith(l, seg().syn().mss(1460).wscale(7).window(65535));
        t.send(seg().psh().seq(PEER_ISS + 1).ack(c.iss + 1).window(1000).payload(text(3000)));
        t.advance(40);
        Seg ack = t.expect(seg().ackOnly().ack(PEER_ISS + 3001));
        assertEquals((256 * 1024 - 3000) >> 3, ack.window, "SO_RCVBUF set: the whole buffer, as Linux");
    }

    @Test
    void bufferSizesSetOnAnOpenConnectionTakeEffect() {
        TcpConnection c = acceptScaled();
        // SO_RCVBUF raised to 128 KiB: offered at once, no longer tuned up from 64 KiB
        t.run(() -> c.setReceiveBufferSize(128 * 1024));
        t.send(seg().psh().seq(PEER_ISS + 1).ack(c.iss + 1).window(1000).payload(text(3000)));
        Seg ack = t.expect(seg().ackOnly().ack(PEER_ISS + 3001));
        assertEquals((128 * 1024 - 3000) >> 3, ack.window);
        // SO_SNDBUF lowered to 8 KiB: a write takes no more than that
        t.run(() -> c.setNoDelay(true));
        t.run(() -> c.setSendBufferSize(8192));
        assertEquals(8192, t.write(c, text(20_000)));
    }

    @Test
    void receivedChunksGoBackAsTheApplicationReads() {
        TcpConnection c = acceptScaled();
        assertEquals(0, chunksInUse(), "an established connection holds nothing");
        int seq = PEER_ISS + 1;
        for (int i = 0; i < 7; i++) { // 10,220 bytes: three chunks
            t.send(seg().ackOnly().seq(seq).ack(c.iss + 1).window(1000).payload(text(1460)));
            seq += 1460;
        }
        assertEquals(3, chunksInUse());
        assertEquals(3L * CHUNK, t.count(Counter.TCP_MEM_BYTES_IN_USE));
        assertEquals(CHUNK + 100, t.readCount(c, CHUNK + 100));
        assertEquals(2, chunksInUse(), "the first chunk was read");
        assertEquals(7 * 1460 - CHUNK - 100, t.readCount(c, 20_000));
        assertEquals(0, chunksInUse(), "nothing left to read: the part-read chunk went back too");
        assertEquals(0, t.count(Counter.TCP_MEM_CHUNKS_IN_USE));
    }

    @Test
    void sentChunksGoBackAsThePeerAcknowledges() {
        TcpConnection c = acceptScaled();
        t.run(() -> c.setNoDelay(true));
        assertEquals(10_000, t.write(c, text(10_000)));
        assertEquals(3, chunksInUse(), "10,000 bytes: three chunks, not SO_SNDBUF's 256 KiB");
        t.drain();
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(c.iss + 1 + CHUNK).window(1000));
        assertEquals(2, chunksInUse(), "the first chunk was acknowledged");
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(c.iss + 1 + 10_000).window(1000));
        assertEquals(0, chunksInUse());
    }

    @Test
    void outOfOrderDataTakesTheChunksAtItsPositionOnly() {
        TcpConnection c = acceptScaled();
        t.send(seg().ackOnly().seq(PEER_ISS + 1 + 10 * CHUNK).ack(c.iss + 1).window(1000).payload(text(100)));
        assertEquals(1, chunksInUse(), "a segment 40 KiB ahead takes one chunk, not the 40 KiB before it");
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(c.iss + 1).window(1000).payload(text(1000)));
        assertEquals(2, chunksInUse());
        assertEquals(1000, t.readCount(c, 5000));
        assertEquals(2, chunksInUse(), "the part-read chunk stays: the gap's next bytes go there");
        int seq = PEER_ISS + 1001;
        for (int end = PEER_ISS + 1 + 10 * CHUNK; seq != end; ) {
            int len = Math.min(1460, end - seq);
            t.send(seg().ackOnly().seq(seq).ack(c.iss + 1).window(1000).payload(text(len)));
            seq += len;
        }
        assertEquals(10 * CHUNK - 1000 + 100, t.readCount(c, 1 << 20), "the gap filled");
        assertEquals(0, chunksInUse(), "all read: every chunk went back");
    }

    @Test
    void anIdleConnectionThatCarriedDataHoldsNoChunks() {
        TcpConnection c = acceptScaled();
        t.run(() -> c.setNoDelay(true));
        t.send(seg().psh().seq(PEER_ISS + 1).ack(c.iss + 1).window(1000).payload(text(1000)));
        assertEquals(1000, t.readCount(c, 100_000));
        assertEquals(5000, t.write(c, text(5000)));
        assertTrue(chunksInUse() > 0);
        t.send(seg().ackOnly().seq(PEER_ISS + 1001).ack(c.iss + 1 + 5000).window(1000));
        t.advance(1000);
        assertEquals(TcpState.ESTABLISHED, c.state());
        assertEquals(0, chunksInUse());
        assertEquals(0, t.count(Counter.TCP_MEM_BYTES_IN_USE));
    }

    @Test
    void atThePoolLimitOutOfOrderDataIsDroppedFirstAndCounted() {
        TcpHarness h = new TcpHarness(TcpConfig.defaults().toBuilder().memoryLimit(8 * CHUNK).build());
        TcpListener l = h.listen();
        TcpConnection hog = h.acceptWith(l, seg().syn().mss(1460).wscale(7).window(65535));
        int seq = PEER_ISS + 1;
        for (int i = 0; i < 30; i++) { // 43,800 bytes in order, never read
            h.send(seg().ackOnly().seq(seq).ack(hog.iss + 1).window(1000).payload(text(1460)));
            seq += 1460;
        }
        assertEquals(8, h.stack.bufferPool().chunksInUse(), "in-order data stops at the limit");
        assertEquals(8 * CHUNK, hog.available(), "and only what was stored is acknowledged and readable");
        long dropsBefore = h.count(Counter.DROP_TCP_MEMORY);
        assertTrue(dropsBefore > 0);
        assertTrue(h.count(Counter.TCP_MEM_EXHAUSTED) > 0);
        h.drain();

        h.remotePort++;
        TcpConnection other = h.acceptWith(l, seg().syn().mss(1460).wscale(7).sackPerm().window(65535));
        h.send(seg().ackOnly().seq(PEER_ISS + 1 + 3000).ack(other.iss + 1).window(1000).payload(text(1000)));
        Seg ack = h.expect(seg().ackOnly().ack(PEER_ISS + 1));
        assertEquals(0, ack.sack.length / 2, "the out-of-order segment was dropped, not SACKed");
        assertEquals(dropsBefore + 1, h.count(Counter.DROP_TCP_MEMORY));
        assertEquals(8, h.stack.bufferPool().chunksInUse());

        // in-order data still gets the connection's first chunk, beyond the limit: no connection starves
        h.send(seg().psh().seq(PEER_ISS + 1).ack(other.iss + 1).window(1000).payload(text(1000)));
        assertEquals(1000, other.available());
        // and a write takes what fits: one chunk for an empty send buffer, nothing thrown
        int wrote = h.locked(() -> other.write(ByteBuffer.wrap(new byte[3 * CHUNK])));
        assertEquals(CHUNK, wrote);

        // the hog reads: its chunks go back, out-of-order data is stored again
        h.readCount(hog, 100_000);
        h.drain();
        h.send(seg().ackOnly().seq(PEER_ISS + 1 + 3000).ack(other.iss + 1).window(1000).payload(text(1000)));
        ack = h.expect(seg().ackOnly().ack(PEER_ISS + 1001));
        assertEquals(1, ack.sack.length / 2, "stored and SACKed once memory was free");
    }
}
