package io.dmm.jdk.net;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.AsynchronousCloseException;
import org.junit.jupiter.api.Test;

/** The JDK's enhanced socket exception text ({@code jdk.includeInExceptions=hostInfo}). */
class SocketExceptionsTest {
    private static final InetSocketAddress PEER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 1);

    @Test
    void hostInfoIsTheAddressAfterTheMessageInAnExceptionOfTheSameClass() {
        ConnectException refused = new ConnectException("Connection refused");
        IOException e = SocketExceptions.withHostInfo(refused, PEER, true);
        assertEquals(ConnectException.class, e.getClass());
        assertEquals("Connection refused: localhost/127.0.0.1:1", e.getMessage());
        assertArrayEquals(refused.getStackTrace(), e.getStackTrace());
    }

    @Test
    void withoutHostInfoOrAMessageTheExceptionIsUnchanged() {
        ConnectException refused = new ConnectException("Connection refused");
        assertSame(refused, SocketExceptions.withHostInfo(refused, PEER, false));
        assertSame(refused, SocketExceptions.withHostInfo(refused, null, true));
        AsynchronousCloseException closed = new AsynchronousCloseException(); // no message constructor
        assertSame(closed, SocketExceptions.withHostInfo(closed, PEER, true));
    }

    @Test
    void theCategoryIsFoundAsTheJdkReadsTheProperty() {
        assertTrue(SocketExceptions.includes("hostInfo", "hostInfo"));
        assertTrue(SocketExceptions.includes("foo,hostinfo,bar", "hostInfo"));
        assertTrue(SocketExceptions.includes(",HOSTINFO,", "hostInfo"));
        assertTrue(SocketExceptions.includes(" hostInfo ", "hostInfo"));
        assertFalse(SocketExceptions.includes("", "hostInfo"));
        assertFalse(SocketExceptions.includes(null, "hostInfo"));
        assertFalse(SocketExceptions.includes("hostInfoExclSocket", "hostInfo"));
        assertFalse(SocketExceptions.includes("blah,blah,blah,", "hostInfo"));
    }
}
