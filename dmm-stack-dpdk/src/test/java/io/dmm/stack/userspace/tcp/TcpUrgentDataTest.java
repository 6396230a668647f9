package io.dmm.stack.userspace.tcp;

import static io.dmm.stack.userspace.tcp.Seg.seg;
import static io.dmm.stack.userspace.tcp.TcpHarness.PEER_ISS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.dmm.stack.userspace.wire.TcpHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import org.junit.jupiter.api.Test;

/**
 * Urgent data as Linux handles it (RFC 9293 §3.8.5, RFC 6093): one urgent byte, the urgent pointer
 * pointing at the byte after it; received, reads stop in front of it and skip it unless
 * SO_OOBINLINE is on; a newer mark replaces an older one.
 */
class TcpUrgentDataTest {
    final TcpHarness t = new TcpHarness();

    int writeUrgent(TcpConnection c, String s) {
        return t.locked(() -> c.writeUrgent(ByteBuffer.wrap(s.getBytes())));
    }

    TcpConnection connection(boolean inline) {
        TcpConnection c = t.accept(t.listen());
        t.run(() -> c.setOobInline(inline));
        return c;
    }

    boolean readable(TcpConnection c) {
        return (t.locked(c::readyOps) & SelectionKey.OP_READ) != 0;
    }

    @Test
    void anUrgentByteGoesOutAtOnceWithTheUrgentPointerAfterIt() {
        TcpConnection c = t.accept(t.listen());
        int iss = c.iss;
        assertEquals(2, t.write(c, "ab"));
        t.expect(seg().psh().seq(iss + 1).payload("ab").urgent(0));
        assertEquals(1, writeUrgent(c, "!"));
        // not held back by Nagle although "ab" is unacknowledged; the pointer is the byte after '!'
        t.expect(seg().psh().seq(iss + 3).payload("!").urgent(1));
        t.send(seg().ackOnly().seq(PEER_ISS + 1).ack(iss + 4));
        assertEquals(1, t.write(c, "z"));
        Seg after = t.expect(seg().psh().payload("z").urgent(0));
        assertEquals(0, after.flags & TcpHeader.URG, "urgent mode ends once the urgent byte is acknowledged");
    }

    @Test
    void aRetransmissionBeforeTheUrgentPointerCarriesURG() {
        TcpConnection c = t.accept(t.listen());
        int iss = c.iss;
        writeUrgent(c, "!");
        t.expect(seg().psh().seq(iss + 1).payload("!").urgent(1));
        t.advance(1000); // RTO
        t.expect(seg().psh().seq(iss + 1).payload("!").urgent(1));
    }

    @Test
    void aFullSendBufferTakesNoUrgentByte() {
        TcpSocketOptions o = new TcpSocketOptions();
        o.sendBufferSize = 1024;
        TcpConnection c = t.accept(t.locked(() -> t.stack.listen(TcpHarness.LOCAL, 80, 8, o)));
        t.write(c, new byte[4096]);
        assertEquals(0, writeUrgent(c, "!"));
    }

    @Test
    void outOfBandTheUrgentByteIsSkippedAndReadsStopInFrontOfIt() {
        TcpConnection c = connection(false);
        int iss = c.iss;
        t.send(seg().psh().seq(PEER_ISS + 1).ack(iss + 1).payload("Hello!").urgent(6));
        t.send(seg().psh().seq(PEER_ISS + 7).ack(iss + 1).payload("world"));
        assertEquals("Hello", t.read(c, 100), "a read stops in front of the urgent byte");
        assertEquals("world", t.read(c, 100), "and the next skips it");
        assertEquals(0, t.locked(c::available));
    }

    @Test
    void inlineTheUrgentByteIsReadAfterTheReadThatStoppedAtIt() {
        TcpConnection c = connection(true);
        int iss = c.iss;
        t.send(seg().psh().seq(PEER_ISS + 1).ack(iss + 1).payload("Hello!world").urgent(6));
        assertEquals("Hello", t.read(c, 100));
        assertEquals("!world", t.read(c, 100));
    }

    @Test
    void aLoneUrgentByteOutOfBandIsNothingToRead() throws IOException {
        TcpConnection c = connection(false);
        t.send(seg().psh().seq(PEER_ISS + 1).ack(c.iss + 1).payload("!").urgent(1));
        assertFalse(readable(c), "as Linux's poll: the byte a read would skip");
        assertEquals(0, t.readCount(c, 10));
        t.send(seg().psh().seq(PEER_ISS + 2).ack(c.iss + 1).payload("x"));
        assertEquals("x", t.read(c, 10));
        t.send(seg().psh().seq(PEER_ISS + 3).ack(c.iss + 1).payload("?").urgent(1));
        t.send(seg().fin().seq(PEER_ISS + 4).ack(c.iss + 1));
        assertEquals(SelectionKey.OP_READ, t.locked(c::readyOps) & SelectionKey.OP_READ, "end of stream is to read");
        assertEquals(-1, t.readCount(c, 10), "the urgent byte skipped, then end of stream");
    }

    @Test
    void inlineALoneUrgentByteIsReadable() {
        TcpConnection c = connection(true);
        t.send(seg().psh().seq(PEER_ISS + 1).ack(c.iss + 1).payload("!").urgent(1));
        assertEquals(SelectionKey.OP_READ, t.locked(c::readyOps) & SelectionKey.OP_READ);
        assertEquals("!", t.read(c, 10));
    }

    @Test
    void aNewerMarkTurnsAnOlderUnreadUrgentByteIntoData() {
        TcpConnection c = connection(false);
        int iss = c.iss;
        t.send(seg().psh().seq(PEER_ISS + 1).ack(iss + 1).payload("a!").urgent(2));
        t.send(seg().psh().seq(PEER_ISS + 3).ack(iss + 1).payload("b#").urgent(2));
        assertEquals("a!b", t.read(c, 100), "only the newest mark counts (RFC 6093)");
        assertEquals(0, t.readCount(c, 100), "'#' skipped");
    }

    @Test
    void aNewerMarkSkipsTheOlderUrgentByteTheReaderStandsOn() {
        TcpConnection c = connection(false);
        int iss = c.iss;
        t.send(seg().psh().seq(PEER_ISS + 1).ack(iss + 1).payload("a!").urgent(2));
        assertEquals("a", t.read(c, 100));
        t.send(seg().psh().seq(PEER_ISS + 3).ack(iss + 1).payload("b#c").urgent(2));
        assertEquals("b", t.read(c, 100));
        assertEquals("c", t.read(c, 100));
    }

    @Test
    void anUrgentPointerIntoDataAlreadyReadIsIgnored() {
        TcpConnection c = connection(false);
        int iss = c.iss;
        t.send(seg().psh().seq(PEER_ISS + 1).ack(iss + 1).payload("abc"));
        assertEquals("abc", t.read(c, 100));
        // a retransmission of "abc" now with URG at 'b': before RCV.NXT, no mark
        t.send(seg().psh().seq(PEER_ISS + 1).ack(iss + 1).payload("abc").urgent(2));
        t.send(seg().psh().seq(PEER_ISS + 4).ack(iss + 1).payload("de"));
        assertEquals("de", t.read(c, 100));
    }
}
