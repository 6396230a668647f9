package io.dmm.core.channel;

import static org.junit.jupiter.api.Assertions.*;

import io.dmm.api.testing.BackgroundCall;
import io.dmm.api.testing.Waits;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ConnectionPendingException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.NoConnectionPendingException;
import java.nio.channels.NotYetBoundException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Channel behaviour written once and run against the JDK's own channels and against DMM's routed
 * channels: both must pass the same assertions (same results, same exception classes).
 * Real loopback traffic only; every test closes what it opens.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
abstract class ChannelBehaviourSuite {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final List<AutoCloseable> opened = new ArrayList<>();

    protected abstract SocketChannel newClient() throws IOException;

    protected abstract ServerSocketChannel newServer() throws IOException;

    protected abstract DatagramChannel newDatagram() throws IOException;

    /** The wildcard-or-loopback address servers of this suite bind to. */
    protected InetSocketAddress serverBindAddress() {
        return new InetSocketAddress(LOOPBACK, 0);
    }

    <T extends AutoCloseable> T track(T c) {
        opened.add(c);
        return c;
    }

    SocketChannel client() throws IOException {
        return track(newClient());
    }

    ServerSocketChannel server() throws IOException {
        ServerSocketChannel s = track(newServer());
        s.bind(serverBindAddress());
        return s;
    }

    DatagramChannel datagram() throws IOException {
        return track(newDatagram());
    }

    /** A datagram channel bound to loopback, any port. */
    DatagramChannel boundDatagram() throws IOException {
        DatagramChannel d = datagram();
        d.bind(new InetSocketAddress(LOOPBACK, 0));
        return d;
    }

    static InetSocketAddress connectable(ServerSocketChannel s) throws IOException {
        return new InetSocketAddress(LOOPBACK, ((InetSocketAddress) s.getLocalAddress()).getPort());
    }

    @AfterEach
    void closeEverything() throws Exception {
        Thread.interrupted();
        for (AutoCloseable c : opened.reversed()) {
            c.close();
        }
    }

    /** A connected pair: [0] the client, [1] the accepted end. */
    SocketChannel[] pair() throws IOException {
        ServerSocketChannel s = server();
        SocketChannel c = client();
        assertTrue(c.connect(connectable(s)));
        SocketChannel a = track(s.accept());
        return new SocketChannel[] {c, a};
    }

    static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    static String readExactly(SocketChannel ch, int n) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(n);
        while (buf.hasRemaining()) {
            if (ch.read(buf) < 0) {
                break;
            }
        }
        return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
    }

    /** Calls finishConnect until it completes or throws; fails after 10 s rather than loop forever. */
    static void finishConnecting(SocketChannel c) throws IOException, InterruptedException {
        Waits.until("finishConnect to complete", Duration.ofSeconds(10), c::finishConnect);
    }

    // ------------------------------------------------------------------ what close keeps, as the JDK's channels

    @Test
    void aClosedServerKeepsItsLocalAddressAndPort() throws IOException {
        ServerSocketChannel s = server();
        InetSocketAddress bound = (InetSocketAddress) s.getLocalAddress();
        ServerSocket ss = s.socket();
        s.close();
        assertTrue(ss.isClosed());
        assertTrue(ss.isBound());
        assertEquals(bound.getPort(), ss.getLocalPort());
        assertEquals(bound.getAddress(), ss.getInetAddress());
        assertEquals(bound, ss.getLocalSocketAddress());
    }

    @Test
    void closedConnectedSocketsKeepTheirAddresses() throws IOException {
        for (SocketChannel ch : pair()) {
            InetSocketAddress local = (InetSocketAddress) ch.getLocalAddress();
            InetSocketAddress remote = (InetSocketAddress) ch.getRemoteAddress();
            Socket s = ch.socket();
            ch.close();
            assertEquals(remote.getAddress(), s.getInetAddress(), "getInetAddress() after close");
            assertEquals(remote.getPort(), s.getPort());
            assertEquals(remote, s.getRemoteSocketAddress());
            assertEquals(local.getPort(), s.getLocalPort());
            assertEquals(local, s.getLocalSocketAddress());
            assertTrue(s.isBound());
            assertFalse(s.isConnected());
        }
    }

    @Test
    void aClosedDatagramChannelThatWasBoundStaysBound() throws IOException {
        InetSocketAddress peerAddress = (InetSocketAddress) boundDatagram().getLocalAddress();
        DatagramChannel d = boundDatagram();
        d.connect(peerAddress);
        DatagramSocket ds = d.socket();
        d.close();
        assertTrue(ds.isClosed());
        assertTrue(ds.isBound(), "bound before close: still bound");
        assertEquals(peerAddress.getAddress(), ds.getInetAddress());
        assertEquals(peerAddress.getPort(), ds.getPort());
        assertEquals(-1, ds.getLocalPort(), "closed");
        assertNull(ds.getLocalSocketAddress(), "closed");

        DatagramChannel never = datagram();
        DatagramSocket unbound = never.socket();
        never.close();
        assertFalse(unbound.isBound(), "never bound: not bound after close either");
        assertNull(unbound.getInetAddress());
    }

    // ------------------------------------------------------------------ nothing shows that routing waits for connect

    @Test
    void bindNullBeforeConnectHasARealPortAtOnceAndConnectsFromIt() throws IOException {
        ServerSocketChannel s = server();
        SocketChannel c = client();
        c.bind(null);
        InetSocketAddress bound = (InetSocketAddress) c.getLocalAddress();
        assertTrue(bound.getAddress().isAnyLocalAddress(), bound.toString());
        assertNotEquals(0, bound.getPort(), "a real port, as the JDK's bind(null) gives");
        assertEquals(bound.getPort(), c.socket().getLocalPort());
        assertTrue(c.socket().isBound());
        assertTrue(c.connect(connectable(s)));
        SocketChannel a = track(s.accept());
        assertEquals(bound.getPort(), ((InetSocketAddress) c.getLocalAddress()).getPort(), "connects from that port");
        assertEquals(bound.getPort(), ((InetSocketAddress) a.getRemoteAddress()).getPort());
    }

    /**
     * Whether a client's bind to a given address or port before connect is made with the OS at once,
     * as the JDK's is: DMM does so when every stack of the policy shares the OS's port space. A
     * runner whose policy has a stack with ports of its own overrides this (false): there the bind
     * waits for connect, the documented difference of docs/drop-in.md.
     */
    protected boolean clientBindsAtOnce() {
        return true;
    }

    @Test
    void aClientBindToAPortAnotherClientHoldsFailsAtBind() throws IOException {
        SocketChannel first = client();
        first.bind(new InetSocketAddress(0));
        InetSocketAddress taken = new InetSocketAddress(((InetSocketAddress) first.getLocalAddress()).getPort());
        SocketChannel second = client();
        if (clientBindsAtOnce()) {
            assertThrows(BindException.class, () -> second.bind(taken));
            assertNull(second.getLocalAddress(), "a failed bind leaves the channel unbound");
            second.bind(new InetSocketAddress(0)); // and it can still bind
        } else {
            second.bind(taken);
            assertEquals(taken, second.getLocalAddress(), "deferred: the requested address until connect");
        }
    }

    @Test
    void aClientBindToAnAddressNotOnThisHostFailsAtBind() throws IOException {
        SocketChannel c = client();
        InetSocketAddress elsewhere = new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 0); // TEST-NET-1
        if (clientBindsAtOnce()) {
            BindException e = assertThrows(BindException.class, () -> c.bind(elsewhere));
            assertEquals("Cannot assign requested address", e.getMessage());
            assertNull(c.getLocalAddress());
        } else {
            c.bind(elsewhere);
            assertEquals(elsewhere, c.getLocalAddress());
        }
    }

    @Test
    void aClientBindToAGivenPortHasThatPortAtOnce() throws IOException {
        int port;
        try (SocketChannel probe = SocketChannel.open()) { // a port the OS had free just now
            port = ((InetSocketAddress) probe.bind(new InetSocketAddress(LOOPBACK, 0)).getLocalAddress()).getPort();
        }
        SocketChannel c = client();
        c.bind(new InetSocketAddress(LOOPBACK, port));
        assertEquals(new InetSocketAddress(LOOPBACK, port), c.getLocalAddress());
        if (clientBindsAtOnce()) {
            try (SocketChannel other = SocketChannel.open()) {
                assertThrows(BindException.class, () -> other.bind(new InetSocketAddress(LOOPBACK, port)),
                        "the OS holds the port for the bound client");
            }
        }
        ServerSocketChannel s = server();
        assertTrue(c.connect(connectable(s)));
        SocketChannel a = track(s.accept());
        assertEquals(new InetSocketAddress(LOOPBACK, port), a.getRemoteAddress(), "connects from that port");
    }

    @Test
    void clientsWithSoReuseAddrMayBindOnePortBeforeEitherConnects() throws IOException {
        SocketChannel first = client();
        first.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        first.bind(new InetSocketAddress(0));
        InetSocketAddress taken = new InetSocketAddress(((InetSocketAddress) first.getLocalAddress()).getPort());
        SocketChannel second = client();
        second.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        second.bind(taken); // Linux lets two such sockets share a port while neither listens
        assertEquals(taken.getPort(), ((InetSocketAddress) second.getLocalAddress()).getPort());
    }

    @Test
    void aClientBoundToAnEphemeralPortAndClosedGivesThePortBack() throws IOException {
        SocketChannel c = client();
        c.bind(null);
        int port = ((InetSocketAddress) c.getLocalAddress()).getPort();
        c.close();
        assertEquals(port, c.socket().getLocalPort(), "kept after close, as the JDK keeps it");
        try (ServerSocketChannel again = ServerSocketChannel.open()) {
            again.bind(new InetSocketAddress(port)); // the OS has the port back
        }
    }

    @Test
    void oobInlineSetBeforeConnectIsKept() throws IOException {
        ServerSocketChannel s = server();
        SocketChannel c = client();
        Socket sock = c.socket();
        assertFalse(sock.getOOBInline());
        sock.setOOBInline(true);
        assertTrue(sock.getOOBInline());
        assertTrue(c.connect(connectable(s)));
        track(s.accept());
        assertTrue(sock.getOOBInline(), "set before connect: in force after it");
        sock.setOOBInline(false);
        assertFalse(sock.getOOBInline());
    }

    @Test
    @SuppressWarnings("unchecked")
    void theChannelsOobInlineOptionSetBeforeConnectIsKept() throws IOException {
        ServerSocketChannel s = server();
        SocketChannel c = client();
        SocketOption<Boolean> oob = (SocketOption<Boolean>) c.supportedOptions().stream()
                .filter(o -> o.name().equals("SO_OOBINLINE")).findFirst().orElseThrow();
        assertFalse(c.getOption(oob));
        c.setOption(oob, true);
        assertTrue(c.getOption(oob));
        assertTrue(c.connect(connectable(s)));
        track(s.accept());
        assertTrue(c.socket().getOOBInline(), "set before connect: in force after it");
    }

    // ------------------------------------------------------------------ connect, read, write

    @Test
    void blockingEcho() throws IOException {
        SocketChannel[] p = pair();
        assertTrue(p[0].isConnected());
        assertFalse(p[0].isConnectionPending());
        assertTrue(p[0].isBlocking());
        assertEquals(5, p[0].write(bytes("hello")));
        assertEquals("hello", readExactly(p[1], 5));
        p[1].write(bytes("world!"));
        assertEquals("world!", readExactly(p[0], 6));
    }

    @Test
    void nonBlockingConnectAndFinishConnect() throws Exception {
        ServerSocketChannel s = server();
        SocketChannel c = client();
        c.configureBlocking(false);
        assertThrows(NoConnectionPendingException.class, c::finishConnect);
        boolean connected = c.connect(connectable(s));
        if (!connected) {
            assertTrue(c.isConnectionPending());
            assertThrows(ConnectionPendingException.class, () -> c.connect(connectable(s)));
            assertThrows(NotYetConnectedException.class, () -> c.read(ByteBuffer.allocate(1)));
            finishConnecting(c);
        }
        assertTrue(c.isConnected());
        assertFalse(c.isConnectionPending());
        assertTrue(c.finishConnect(), "finishConnect on a connected channel is true");
        assertThrows(AlreadyConnectedException.class, () -> c.connect(connectable(s)));
        SocketChannel a = track(s.accept());
        assertEquals(0, c.read(ByteBuffer.allocate(4)), "non-blocking read with nothing to read");
        a.write(bytes("abc"));
        c.configureBlocking(true);
        assertEquals("abc", readExactly(c, 3));
    }

    @Test
    void scatterGather() throws IOException {
        SocketChannel[] p = pair();
        ByteBuffer[] out = {bytes("skip"), bytes("ab"), bytes("cde"), bytes("f")};
        assertThrows(IndexOutOfBoundsException.class, () -> p[0].write(out, 3, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> p[0].write(out, -1, 1));
        long written = 0;
        while (written < 6) {
            written += p[0].write(out, 1, 3);
        }
        assertEquals(6, written);
        assertEquals(4, out[0].remaining(), "buffers outside offset/length are untouched");
        ByteBuffer[] in = {ByteBuffer.allocate(1), ByteBuffer.allocate(2), ByteBuffer.allocate(3), ByteBuffer.allocate(9)};
        assertThrows(IndexOutOfBoundsException.class, () -> p[1].read(in, 2, 3));
        long read = 0;
        while (read < 6) {
            read += p[1].read(in, 1, 3);
        }
        assertEquals(0, in[0].position());
        assertEquals("ab", new String(in[1].array(), StandardCharsets.UTF_8));
        assertEquals("cde", new String(in[2].array(), StandardCharsets.UTF_8));
        assertEquals('f', in[3].array()[0]);
    }

    @Test
    void shutdownAndHalfClose() throws IOException {
        SocketChannel[] p = pair();
        p[0].shutdownOutput();
        p[0].shutdownOutput(); // again: no-op
        assertEquals(-1, p[1].read(ByteBuffer.allocate(8)), "peer sees end of stream");
        assertThrows(ClosedChannelException.class, () -> p[0].write(bytes("x")));
        p[1].write(bytes("still"));
        assertEquals("still", readExactly(p[0], 5), "the other direction still works");
        p[0].shutdownInput();
        assertEquals(-1, p[0].read(ByteBuffer.allocate(8)));
        assertTrue(p[0].isOpen());
    }

    // ------------------------------------------------------------------ a reset after data

    /** The accepted end writes {@code n} bytes and resets the connection (SO_LINGER 0). */
    static void writeThenReset(SocketChannel peer, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            peer.write(b);
        }
        peer.setOption(StandardSocketOptions.SO_LINGER, 0);
        peer.close();
    }

    /** Reads until an exception; returns the bytes read before it and the exception. */
    static long readUntilFailure(SocketChannel ch, List<IOException> failure) throws IOException {
        long total = 0;
        ByteBuffer b = ByteBuffer.allocate(300);
        try {
            int n;
            while ((n = ch.read(b.clear())) >= 0) {
                total += n;
            }
            fail("end of stream after " + total + " bytes, not the reset");
        } catch (IOException e) {
            failure.add(e);
        }
        return total;
    }

    /** Linux (and so the JDK) delivers the bytes that arrived before a RST, then the reset, to every later read. */
    @Test
    void bytesSentBeforeAResetAreReadBeforeTheReset() throws IOException {
        SocketChannel[] p = pair();
        writeThenReset(p[1], 1000);
        List<IOException> failure = new ArrayList<>();
        assertEquals(1000, readUntilFailure(p[0], failure));
        assertEquals(java.net.SocketException.class, failure.getFirst().getClass());
        assertEquals("Connection reset", failure.getFirst().getMessage());
        IOException again = assertThrows(IOException.class, () -> p[0].read(ByteBuffer.allocate(8)));
        assertEquals("Connection reset", again.getMessage(), "a read after the reset reports it again");
        IOException write = assertThrows(IOException.class, () -> p[0].write(bytes("x")));
        assertEquals(IOException.class, write.getClass());
        assertEquals("Broken pipe", write.getMessage());
    }

    /** A write that meets the reset reports it (ECONNRESET) and spends it: reads then end at the bytes before it. */
    @Test
    void aWriteThatMeetsAResetSpendsItAndReadsThenEndAfterTheBytesBeforeIt() throws IOException {
        SocketChannel[] p = pair();
        writeThenReset(p[1], 1000);
        IOException first = assertThrows(IOException.class, () -> {
            while (true) {
                p[0].write(ByteBuffer.allocate(100));
            }
        });
        assertEquals(IOException.class, first.getClass());
        assertEquals("Connection reset by peer", first.getMessage());
        IOException second = assertThrows(IOException.class, () -> p[0].write(ByteBuffer.allocate(100)));
        assertEquals("Broken pipe", second.getMessage());
        ByteBuffer b = ByteBuffer.allocate(2000);
        while (p[0].read(b) > 0) {
            // the bytes that came before the reset
        }
        assertEquals(1000, b.position());
        assertEquals(-1, p[0].read(b.clear()));
    }

    /** Through a Selector: OP_READ for the bytes before the reset and for the reset itself. */
    @Test
    void aSelectorReportsTheBytesBeforeAResetThenTheReset() throws Exception {
        SocketChannel[] p = pair();
        p[0].configureBlocking(false);
        try (java.nio.channels.Selector sel = p[0].provider().openSelector()) {
            p[0].register(sel, java.nio.channels.SelectionKey.OP_READ);
            writeThenReset(p[1], 1000);
            long total = 0;
            ByteBuffer b = ByteBuffer.allocate(300);
            IOException failure = null;
            while (failure == null) {
                assertEquals(1, sel.select(5000), "readable after " + total + " bytes");
                sel.selectedKeys().clear();
                try {
                    int n = p[0].read(b.clear());
                    assertTrue(n > 0, "a selected read returns bytes or throws: " + n);
                    total += n;
                } catch (IOException e) {
                    failure = e;
                }
            }
            assertEquals(1000, total);
            assertEquals("Connection reset", failure.getMessage());
        }
    }

    // ------------------------------------------------------------------ urgent data

    /** SO_OOBINLINE off (the default): the urgent byte is not in the stream, as on Linux. */
    @Test
    void urgentDataOutOfBandIsNotInTheStream() throws IOException {
        SocketChannel[] p = pair();
        assertFalse(p[1].socket().getOOBInline());
        p[0].write(bytes("Hello"));
        p[0].socket().sendUrgentData('!');
        p[0].write(bytes("world"));
        assertEquals("Helloworld", readExactly(p[1], 10));
        p[0].close();
        assertEquals(-1, p[1].read(ByteBuffer.allocate(8)), "nothing after it: the urgent byte was not left behind");
    }

    /** SO_OOBINLINE on: the urgent byte is read in its place in the stream. */
    @Test
    void urgentDataInlineIsReadInItsPlace() throws IOException {
        SocketChannel[] p = pair();
        p[1].socket().setOOBInline(true);
        p[0].write(bytes("Hello"));
        p[0].socket().sendUrgentData('!');
        p[0].write(bytes("world"));
        assertEquals("Hello!world", readExactly(p[1], 11));
        for (int i = 0; i < 20; i++) {
            p[0].socket().sendUrgentData(i); // one urgent byte after another (the mark moves on)
        }
        ByteBuffer b = ByteBuffer.allocate(20);
        while (b.hasRemaining()) {
            assertTrue(p[1].read(b) > 0);
        }
        for (int i = 0; i < 20; i++) {
            assertEquals(i, b.get(i));
        }
    }

    /** A non-blocking channel's adaptor refuses an urgent byte its full send buffer cannot take. */
    @Test
    void urgentDataOnAFullNonBlockingChannelIsSocketBufferFull() throws IOException {
        SocketChannel[] p = pair();
        p[0].configureBlocking(false);
        ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
        int zeros = 0;
        while (zeros < 3) { // the peer never reads: the windows and the send buffer fill
            if (p[0].write(chunk.clear()) == 0) {
                zeros++;
            }
        }
        IOException e = assertThrows(IOException.class, () -> p[0].socket().sendUrgentData(1));
        assertEquals(IOException.class, e.getClass());
        assertEquals("Socket buffer full", e.getMessage());
    }

    // ------------------------------------------------------------------ Linux's TCP options

    @SuppressWarnings("unchecked")
    static <T> SocketOption<T> named(NetworkChannel ch, String name) {
        return (SocketOption<T>) ch.supportedOptions().stream().filter(o -> o.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in " + ch.supportedOptions()));
    }

    /** A connected (routed) socket offers the JDK's options on Linux, with its defaults and checks. */
    @Test
    void aConnectedSocketHasLinuxsTcpOptions() throws IOException {
        SocketChannel[] p = pair();
        SocketChannel c = p[0];
        try (SocketChannel platform = io.dmm.jdk.platform.PlatformChannels.openSocketChannel(null)) {
            assertEquals(platform.supportedOptions(), c.supportedOptions());
        }
        c.setOption(StandardSocketOptions.IP_TOS, 0xFF);
        assertEquals(0xFC, c.getOption(StandardSocketOptions.IP_TOS), "TCP's ECN bits are the kernel's");
        c.setOption(StandardSocketOptions.IP_TOS, 0x2E);
        assertEquals(0x2C, c.getOption(StandardSocketOptions.IP_TOS));
        assertEquals(0, p[1].getOption(StandardSocketOptions.IP_TOS), "not inherited: servers have no IP_TOS");
        assertEquals(7200, c.<Integer>getOption(named(c, "TCP_KEEPIDLE")));
        assertEquals(75, c.<Integer>getOption(named(c, "TCP_KEEPINTERVAL")));
        assertEquals(9, c.<Integer>getOption(named(c, "TCP_KEEPCOUNT")));
        c.setOption(named(c, "TCP_KEEPIDLE"), 100);
        assertEquals(100, c.<Integer>getOption(named(c, "TCP_KEEPIDLE")));
        c.setOption(named(c, "TCP_KEEPCOUNT"), 127);
        assertEquals(127, c.<Integer>getOption(named(c, "TCP_KEEPCOUNT")));
        assertEquals("Invalid argument", assertThrows(java.net.SocketException.class,
                () -> c.setOption(named(c, "TCP_KEEPINTERVAL"), 0)).getMessage());
        assertEquals("Invalid argument", assertThrows(java.net.SocketException.class,
                () -> c.setOption(named(c, "TCP_KEEPCOUNT"), 128)).getMessage());
        assertTrue(c.<Boolean>getOption(named(c, "TCP_QUICKACK")));
        c.setOption(named(c, "TCP_QUICKACK"), false);
        assertFalse(c.<Boolean>getOption(named(c, "TCP_QUICKACK")));
        assertEquals(0, c.<Integer>getOption(named(c, "SO_INCOMING_NAPI_ID")));
        assertThrows(java.net.SocketException.class, () -> c.setOption(named(c, "SO_INCOMING_NAPI_ID"), 1));
        assertFalse(c.<Boolean>getOption(named(c, "SO_OOBINLINE")));
        c.setOption(named(c, "SO_OOBINLINE"), true);
        assertTrue(c.socket().getOOBInline());
    }

    /**
     * An accepted socket has the keepalive settings its server had when it was accepted, and its
     * TCP_QUICKACK as set after listen (Linux's listen starts the listener's ACK state afresh).
     */
    @Test
    void anAcceptedSocketInheritsTheServersKeepAliveSettings() throws IOException {
        ServerSocketChannel unbound = track(newServer());
        java.util.Set<SocketOption<?>> beforeRouting = java.util.Set.copyOf(unbound.supportedOptions());
        unbound.setOption(named(unbound, "TCP_QUICKACK"), false);
        unbound.bind(serverBindAddress());
        assertTrue(unbound.<Boolean>getOption(named(unbound, "TCP_QUICKACK")), "listen turned it on again");
        ServerSocketChannel s = server();
        try (ServerSocketChannel platform = io.dmm.jdk.platform.PlatformChannels.openServerSocketChannel(null)) {
            assertEquals(platform.supportedOptions(), beforeRouting, "not routed yet: the platform's");
            assertEquals(platform.supportedOptions(), s.supportedOptions(), "routed: the stack's, the same");
        }
        s.setOption(named(s, "TCP_KEEPIDLE"), 100);
        s.setOption(named(s, "TCP_KEEPCOUNT"), 3);
        s.setOption(named(s, "TCP_QUICKACK"), false);
        assertEquals(100, s.<Integer>getOption(named(s, "TCP_KEEPIDLE")));
        assertFalse(s.<Boolean>getOption(named(s, "TCP_QUICKACK")));
        assertEquals(75, s.<Integer>getOption(named(s, "TCP_KEEPINTERVAL")));
        assertEquals("Invalid argument", assertThrows(java.net.SocketException.class,
                () -> s.setOption(named(s, "TCP_KEEPIDLE"), 32_768)).getMessage());
        SocketChannel c = client();
        assertTrue(c.connect(connectable(s)));
        SocketChannel a = track(s.accept());
        assertEquals(100, a.<Integer>getOption(named(a, "TCP_KEEPIDLE")));
        assertEquals(3, a.<Integer>getOption(named(a, "TCP_KEEPCOUNT")));
        assertEquals(75, a.<Integer>getOption(named(a, "TCP_KEEPINTERVAL")));
        assertFalse(a.<Boolean>getOption(named(a, "TCP_QUICKACK")), "off on the listener: off on its connections");
        assertFalse(a.getOption(StandardSocketOptions.SO_KEEPALIVE));
    }

    /** Linux refuses a keepalive value out of its range at once, also before the socket is connected. */
    @Test
    void aKeepAliveValueOutOfLinuxsRangeIsRefusedBeforeConnect() throws IOException {
        SocketChannel c = client();
        assertEquals("Invalid argument", assertThrows(java.net.SocketException.class,
                () -> c.setOption(named(c, "TCP_KEEPIDLE"), 0)).getMessage());
        c.setOption(named(c, "TCP_KEEPIDLE"), 60);
        c.setOption(StandardSocketOptions.IP_TOS, 0x2E);
        ServerSocketChannel s = server();
        assertTrue(c.connect(connectable(s)));
        track(s.accept());
        assertEquals(60, c.<Integer>getOption(named(c, "TCP_KEEPIDLE")), "set before connect: in force after it");
        assertEquals(0x2C, c.getOption(StandardSocketOptions.IP_TOS));
    }

    @Test
    void addresses() throws IOException {
        ServerSocketChannel s = server();
        SocketChannel c = client();
        assertNull(c.getRemoteAddress());
        assertNull(c.getLocalAddress());
        assertTrue(c.connect(connectable(s)));
        SocketChannel a = track(s.accept());
        assertEquals(connectable(s), c.getRemoteAddress());
        InetSocketAddress local = (InetSocketAddress) c.getLocalAddress();
        assertTrue(local.getPort() > 0);
        assertEquals(local, a.getRemoteAddress());
        assertEquals(c.getRemoteAddress(), a.getLocalAddress());
    }

    @Test
    void bindBeforeConnect() throws IOException {
        ServerSocketChannel s = server();
        SocketChannel c = client();
        c.bind(new InetSocketAddress(LOOPBACK, 0));
        assertThrows(AlreadyBoundException.class, () -> c.bind(new InetSocketAddress(LOOPBACK, 0)));
        assertTrue(c.connect(connectable(s)));
        SocketChannel a = track(s.accept());
        InetSocketAddress local = (InetSocketAddress) c.getLocalAddress();
        assertEquals(LOOPBACK, local.getAddress());
        assertTrue(local.getPort() > 0);
        assertEquals(local, a.getRemoteAddress());
        assertThrows(AlreadyBoundException.class, () -> c.bind(null));
    }

    // ------------------------------------------------------------------ exceptions

    @Test
    void stateExceptions() throws IOException {
        SocketChannel c = client();
        assertThrows(NotYetConnectedException.class, () -> c.read(ByteBuffer.allocate(1)));
        assertThrows(NotYetConnectedException.class, () -> c.write(bytes("x")));
        assertThrows(NotYetConnectedException.class, c::shutdownInput);
        assertThrows(NotYetConnectedException.class, c::shutdownOutput);
        assertThrows(NoConnectionPendingException.class, c::finishConnect);
        assertFalse(c.isConnected());
        assertThrows(NullPointerException.class, () -> c.read((ByteBuffer) null));
        ServerSocketChannel unbound = track(newServer());
        assertThrows(NotYetBoundException.class, unbound::accept);
        ServerSocketChannel s = server();
        assertThrows(AlreadyBoundException.class, () -> s.bind(serverBindAddress()));
    }

    @Test
    void addressExceptions() throws IOException {
        SocketChannel c = client();
        assertThrows(UnresolvedAddressException.class,
                () -> c.connect(InetSocketAddress.createUnresolved("no-such-host.invalid", 80)));
        assertThrows(UnsupportedAddressTypeException.class, () -> c.connect(new SocketAddress() {
        }));
        assertThrows(NullPointerException.class, () -> c.connect(null));
        assertTrue(c.isOpen(), "address checks happen before anything else and do not close");
    }

    @Test
    void refusedConnectClosesTheChannel() throws IOException {
        InetSocketAddress closedPort;
        try (ServerSocketChannel tmp = ServerSocketChannel.open()) {
            tmp.bind(new InetSocketAddress(LOOPBACK, 0));
            closedPort = (InetSocketAddress) tmp.getLocalAddress();
        }
        SocketChannel c = client();
        assertThrows(ConnectException.class, () -> c.connect(closedPort));
        assertFalse(c.isOpen());
    }

    @Test
    void refusedNonBlockingConnectFailsInFinishConnect() throws Exception {
        InetSocketAddress closedPort;
        try (ServerSocketChannel tmp = ServerSocketChannel.open()) {
            tmp.bind(new InetSocketAddress(LOOPBACK, 0));
            closedPort = (InetSocketAddress) tmp.getLocalAddress();
        }
        SocketChannel c = client();
        c.configureBlocking(false);
        IOException failure = null;
        try {
            if (!c.connect(closedPort)) {
                finishConnecting(c);
            }
        } catch (IOException e) {
            failure = e;
        }
        assertInstanceOf(ConnectException.class, failure);
        assertFalse(c.isOpen());
    }

    @Test
    void closedChannelExceptions() throws IOException {
        SocketChannel[] p = pair();
        SocketChannel c = p[0];
        c.close();
        assertFalse(c.isOpen());
        assertFalse(c.isConnected());
        assertThrows(ClosedChannelException.class, () -> c.read(ByteBuffer.allocate(1)));
        assertThrows(ClosedChannelException.class, () -> c.write(bytes("x")));
        assertThrows(ClosedChannelException.class, () -> c.read(new ByteBuffer[] {ByteBuffer.allocate(1)}));
        assertThrows(ClosedChannelException.class, c::getLocalAddress);
        assertThrows(ClosedChannelException.class, c::getRemoteAddress);
        assertThrows(ClosedChannelException.class, c::shutdownInput);
        assertThrows(ClosedChannelException.class, () -> c.bind(null));
        assertThrows(ClosedChannelException.class, () -> c.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true));
        assertThrows(ClosedChannelException.class, () -> c.connect(new InetSocketAddress(LOOPBACK, 1)));
        SocketChannel fresh = client();
        fresh.close();
        assertThrows(ClosedChannelException.class, () -> fresh.connect(new InetSocketAddress(LOOPBACK, 1)));
        assertThrows(ClosedChannelException.class, fresh::finishConnect);
        assertEquals(-1, p[1].read(ByteBuffer.allocate(1)), "peer sees the close");
    }

    @Test
    void closeIsIdempotent() throws IOException {
        SocketChannel[] p = pair();
        p[0].close();
        p[0].close();
        assertFalse(p[0].isOpen());
        ServerSocketChannel s = server();
        s.close();
        s.close();
        assertFalse(s.isOpen());
        assertThrows(ClosedChannelException.class, s::accept);
        DatagramChannel d = datagram();
        d.close();
        d.close();
        assertThrows(ClosedChannelException.class, () -> d.send(bytes("x"), new InetSocketAddress(LOOPBACK, 9)));
    }

    // ------------------------------------------------------------------ close and interrupt while blocked

    /**
     * Runs {@code op} on a new platform thread, waits until the thread is blocked in a call to
     * {@code method} (an interrupt or close that came earlier would pass without testing the blocked
     * path), then runs {@code disturb}; returns what op threw.
     */
    static Throwable blockThenDisturb(String method, BackgroundCall.VoidBody op, Consumer<Thread> disturb,
                                      AtomicBoolean interruptFlagAfter) throws Exception {
        return blockThenDisturb(Thread.ofPlatform().daemon(true), method, op, disturb, interruptFlagAfter);
    }

    static Throwable blockThenDisturb(Thread.Builder builder, String method, BackgroundCall.VoidBody op,
                                      Consumer<Thread> disturb, AtomicBoolean interruptFlagAfter) throws Exception {
        BackgroundCall<Void> call = BackgroundCall.run(method, builder, op).awaitBlockedIn(method);
        disturb.accept(call.thread());
        Throwable thrown = call.thrown(Duration.ofSeconds(10));
        interruptFlagAfter.set(call.interruptedAtEnd());
        return thrown;
    }

    @Test
    void interruptDuringBlockingReadOnVirtualThread() throws Exception {
        SocketChannel[] p = pair();
        AtomicBoolean flag = new AtomicBoolean();
        Throwable t = blockThenDisturb(Thread.ofVirtual(), "read", () -> p[0].read(ByteBuffer.allocate(8)), Thread::interrupt, flag);
        assertInstanceOf(ClosedByInterruptException.class, t);
        assertTrue(flag.get());
        assertFalse(p[0].isOpen());
    }

    @Test
    void asyncCloseDuringBlockingAcceptOnVirtualThread() throws Exception {
        ServerSocketChannel s = server();
        Throwable t = blockThenDisturb(Thread.ofVirtual(), "accept", s::accept, th -> {
            try {
                s.close();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }, new AtomicBoolean());
        assertInstanceOf(AsynchronousCloseException.class, t);
        assertFalse(t instanceof ClosedByInterruptException);
    }

    @Test
    void interruptDuringBlockingAcceptOnVirtualThread() throws Exception {
        ServerSocketChannel s = server();
        AtomicBoolean flag = new AtomicBoolean();
        Throwable t = blockThenDisturb(Thread.ofVirtual(), "accept", s::accept, Thread::interrupt, flag);
        assertInstanceOf(ClosedByInterruptException.class, t);
        assertTrue(flag.get());
        assertFalse(s.isOpen());
    }

    /** Blocked virtual threads do not hold their carrier: many blocked reads, then every one is served. */
    @Test
    void manyVirtualThreadsBlockedInReads() throws Exception {
        ServerSocketChannel s = server();
        int n = 64;
        List<SocketChannel[]> pairs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SocketChannel c = client();
            assertTrue(c.connect(connectable(s)));
            pairs.add(new SocketChannel[] {c, track(s.accept())});
        }
        List<BackgroundCall<String>> reads = new ArrayList<>();
        for (SocketChannel[] p : pairs) {
            reads.add(BackgroundCall.start("read " + reads.size(), Thread.ofVirtual(), () -> readExactly(p[0], 2)));
        }
        for (BackgroundCall<String> read : reads) {
            read.awaitBlockedIn("read"); // all blocked at once: data sent earlier would not test that
        }
        for (int i = 0; i < n; i++) {
            pairs.get(i)[1].write(bytes(String.format("%02d", i)));
        }
        for (int i = 0; i < n; i++) {
            assertEquals(String.format("%02d", i), reads.get(i).result(Duration.ofSeconds(10)));
        }
    }

    @Test
    void socketAdaptorInterruptDuringRead() throws Exception {
        SocketChannel[] p = pair();
        Socket sock = p[0].socket();
        InputStream in = sock.getInputStream();
        AtomicBoolean flag = new AtomicBoolean();
        Throwable t = blockThenDisturb("read", () -> in.read(), Thread::interrupt, flag);
        // a channel's socket adaptor reports the channel's exception (unlike a plain java.net.Socket)
        assertInstanceOf(ClosedByInterruptException.class, t);
        assertTrue(flag.get(), "interrupt flag stays set");
        assertTrue(sock.isClosed());
        assertFalse(p[0].isOpen());
    }

    /** The ServerSocket adaptor's accept, interrupted: the channel's exception, as for a read (platform and virtual threads, with and without SO_TIMEOUT). */
    @Test
    void serverSocketAdaptorInterruptDuringAccept() throws Exception {
        for (int i = 0; i < 4; i++) {
            Thread.Builder builder = i % 2 == 0 ? Thread.ofPlatform().daemon(true) : Thread.ofVirtual();
            ServerSocketChannel s = server();
            ServerSocket ss = s.socket();
            if (i >= 2) {
                ss.setSoTimeout(60_000); // a timed accept
            }
            AtomicBoolean flag = new AtomicBoolean();
            Throwable t = blockThenDisturb(builder, "accept", ss::accept, Thread::interrupt, flag);
            assertInstanceOf(ClosedByInterruptException.class, t, "case " + i);
            assertTrue(flag.get(), "interrupt status kept");
            assertTrue(ss.isClosed());
            assertFalse(s.isOpen());
        }
    }

    @Test
    void socketAdaptorConnectRefusedClosesTheSocket() throws IOException {
        InetSocketAddress closedPort;
        try (ServerSocketChannel tmp = ServerSocketChannel.open()) {
            tmp.bind(new InetSocketAddress(LOOPBACK, 0));
            closedPort = (InetSocketAddress) tmp.getLocalAddress();
        }
        SocketChannel c = client();
        Socket sock = c.socket();
        assertThrows(ConnectException.class, () -> sock.connect(closedPort, 2000));
        assertTrue(sock.isClosed());
        SocketChannel c2 = client();
        assertThrows(java.net.UnknownHostException.class,
                () -> c2.socket().connect(InetSocketAddress.createUnresolved("no-such-host.invalid", 80)));
        assertTrue(c2.socket().isClosed());
        SocketChannel c3 = client();
        c3.configureBlocking(false);
        assertThrows(java.nio.channels.IllegalBlockingModeException.class, () -> c3.socket().connect(closedPort));
        assertThrows(java.net.SocketException.class, () -> c3.socket().getInputStream());
    }

    @Test
    void datagramAsyncCloseDuringReceive() throws Exception {
        DatagramChannel receiver = datagram();
        receiver.bind(new InetSocketAddress(LOOPBACK, 0));
        Throwable t = blockThenDisturb("receive", () -> receiver.receive(ByteBuffer.allocate(8)), th -> {
            try {
                receiver.close();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }, new AtomicBoolean());
        assertInstanceOf(AsynchronousCloseException.class, t);
        assertFalse(t instanceof ClosedByInterruptException);
    }

    @Test
    void asyncCloseDuringBlockingRead() throws Exception {
        SocketChannel[] p = pair();
        Throwable t = blockThenDisturb("read", () -> p[0].read(ByteBuffer.allocate(8)), th -> {
            try {
                p[0].close();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }, new AtomicBoolean());
        assertInstanceOf(AsynchronousCloseException.class, t);
        assertFalse(t instanceof ClosedByInterruptException);
        assertFalse(p[0].isOpen());
    }

    /**
     * A membership key belongs to the channel that joined (not a stack's channel underneath), and
     * joining the same group again returns the same key while it is valid, as the JDK's.
     */
    @Test
    void aMembershipKeyIsTheJoiningChannelsAndJoiningTwiceReturnsIt() throws Exception {
        DatagramChannel d = datagram();
        d.bind(new InetSocketAddress(LOOPBACK, 0));
        java.net.NetworkInterface lo = java.net.NetworkInterface.getByInetAddress(LOOPBACK);
        InetAddress group = InetAddress.getByName("239.1.2.3");
        java.nio.channels.MembershipKey key = d.join(group, lo);
        assertSame(d, key.channel());
        assertSame(key, d.join(group, lo));
        assertSame(key, key.block(InetAddress.getByName("192.0.2.9")));
        assertSame(key, key.unblock(InetAddress.getByName("192.0.2.9")));
        assertEquals(group, key.group());
        assertEquals(lo, key.networkInterface());
        assertNull(key.sourceAddress());
        key.drop();
        assertFalse(key.isValid());
        java.nio.channels.MembershipKey again = d.join(group, lo);
        assertNotSame(key, again);
        assertSame(d, again.channel());
        d.close();
        assertFalse(again.isValid(), "closing the channel drops its memberships");
    }

    /**
     * Another thread's shutdownOutput ends a write blocked on a full send buffer (the peer reads
     * nothing): what was written is returned, then writes throw AsynchronousCloseException; the
     * channel stays open (jtreg AsyncCloseAndInterrupt's write/shutdown-output).
     */
    @Test
    void shutdownOutputEndsABlockedWrite() throws Exception {
        SocketChannel[] p = pair();
        // a size no buffer is a multiple of, so that the blocked write has written part of its chunk
        ByteBuffer chunk = ByteBuffer.allocate(100_001);
        Throwable t = blockThenDisturb("write", () -> {
            while (true) {
                chunk.clear();
                p[0].write(chunk);
            }
        }, th -> {
            try {
                p[0].shutdownOutput();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }, new AtomicBoolean());
        assertInstanceOf(AsynchronousCloseException.class, t);
        assertTrue(p[0].isOpen());
        assertThrows(AsynchronousCloseException.class, () -> p[0].write(bytes("x")));
    }

    @Test
    void interruptDuringBlockingRead() throws Exception {
        SocketChannel[] p = pair();
        AtomicBoolean flag = new AtomicBoolean();
        Throwable t = blockThenDisturb("read", () -> p[0].read(ByteBuffer.allocate(8)), Thread::interrupt, flag);
        assertInstanceOf(ClosedByInterruptException.class, t);
        assertTrue(flag.get(), "interrupt flag stays set");
        assertFalse(p[0].isOpen(), "the channel is closed");
        assertEquals(-1, p[1].read(ByteBuffer.allocate(1)), "and really closed: the peer sees EOF");
    }

    @Test
    void interruptDuringBlockingAccept() throws Exception {
        ServerSocketChannel s = server();
        AtomicBoolean flag = new AtomicBoolean();
        Throwable t = blockThenDisturb("accept", s::accept, Thread::interrupt, flag);
        assertInstanceOf(ClosedByInterruptException.class, t);
        assertTrue(flag.get());
        assertFalse(s.isOpen());
    }

    @Test
    void asyncCloseDuringBlockingAccept() throws Exception {
        ServerSocketChannel s = server();
        Throwable t = blockThenDisturb("accept", s::accept, th -> {
            try {
                s.close();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }, new AtomicBoolean());
        assertInstanceOf(AsynchronousCloseException.class, t);
        assertFalse(t instanceof ClosedByInterruptException);
    }

    @Test
    void interruptedBeforeBlockingRead() throws IOException {
        SocketChannel[] p = pair();
        Thread.currentThread().interrupt();
        try {
            assertThrows(ClosedByInterruptException.class, () -> p[0].read(ByteBuffer.allocate(8)));
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
        assertFalse(p[0].isOpen());
    }

    @Test
    void interruptedBeforeConnect() throws IOException {
        ServerSocketChannel s = server();
        SocketChannel c = client();
        Thread.currentThread().interrupt();
        try {
            assertThrows(ClosedByInterruptException.class, () -> c.connect(connectable(s)));
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
        assertFalse(c.isOpen());
    }

    @Test
    void interruptedBeforeAccept() throws IOException {
        ServerSocketChannel s = server();
        Thread.currentThread().interrupt();
        try {
            assertThrows(ClosedByInterruptException.class, s::accept);
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
        assertFalse(s.isOpen());
    }

    /**
     * A connection reset after its handshake but before the program accepted it is still accepted, as
     * Linux keeps it queued: its first read reports the reset. (Tomcat's stop relies on it: it wakes its
     * acceptor with a connection it closes at once with SO_LINGER 0.) The second connection, made after
     * the reset, is the marker that the reset reached the server's end first. The two are told apart
     * by their peers, not by their order: a server listening on several stacks accepts from whichever
     * is ready.
     */
    @Test
    void aConnectionResetBeforeItIsAcceptedIsStillAccepted() throws IOException {
        ServerSocketChannel s = server();
        SocketChannel reset = client();
        reset.setOption(StandardSocketOptions.SO_LINGER, 0);
        assertTrue(reset.connect(connectable(s)));
        SocketAddress resetAddress = reset.getLocalAddress();
        reset.close();
        SocketChannel after = client();
        assertTrue(after.connect(connectable(s)));
        SocketChannel one = track(s.accept());
        SocketChannel other = track(s.accept());
        SocketChannel wasReset = resetAddress.equals(one.getRemoteAddress()) ? one : other;
        SocketChannel live = wasReset == one ? other : one;
        assertEquals(resetAddress, wasReset.getRemoteAddress());
        assertEquals(after.getLocalAddress(), live.getRemoteAddress());
        IOException e = assertThrows(IOException.class, () -> wasReset.read(ByteBuffer.allocate(1)));
        assertEquals("Connection reset", e.getMessage());
    }

    @Test
    void nonBlockingAcceptReturnsNullWhenNothingWaits() throws IOException {
        ServerSocketChannel s = server();
        s.configureBlocking(false);
        assertNull(s.accept());
        SocketChannel c = client();
        assertTrue(c.connect(connectable(s)));
        SocketChannel a = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (a == null && System.nanoTime() < deadline) {
            a = s.accept();
        }
        assertNotNull(a);
        track(a);
        assertTrue(a.isBlocking(), "accepted channels are blocking whatever the server's mode");
        assertEquals(c.getLocalAddress(), a.getRemoteAddress());
    }

    // ------------------------------------------------------------------ socket adaptors

    @Test
    void socketAdaptorEchoAndTimeout() throws Exception {
        ServerSocketChannel s = server();
        SocketChannel c = client();
        Socket sock = c.socket();
        assertSame(c, sock.getChannel());
        assertSame(sock, c.socket());
        assertFalse(sock.isConnected());
        sock.connect(connectable(s), 5000);
        assertTrue(sock.isConnected());
        SocketChannel a = track(s.accept());
        OutputStream out = sock.getOutputStream();
        out.write("ping".getBytes(StandardCharsets.UTF_8));
        assertEquals("ping", readExactly(a, 4));
        a.write(bytes("pong"));
        InputStream in = sock.getInputStream();
        byte[] buf = new byte[4];
        int n = 0;
        while (n < 4) {
            n += in.read(buf, n, 4 - n);
        }
        assertEquals("pong", new String(buf, StandardCharsets.UTF_8));
        sock.setSoTimeout(200);
        assertEquals(200, sock.getSoTimeout());
        assertThrows(SocketTimeoutException.class, () -> in.read());
        assertTrue(sock.isConnected() && !sock.isClosed(), "a read timeout leaves the socket usable");
        a.write(bytes("!"));
        assertEquals('!', in.read());
        sock.setTcpNoDelay(true);
        assertTrue(sock.getTcpNoDelay());
        assertEquals(connectable(s).getPort(), sock.getPort());
        assertEquals(c.getLocalAddress(), sock.getLocalSocketAddress());
        sock.shutdownOutput();
        assertTrue(sock.isOutputShutdown());
        assertEquals(-1, a.read(ByteBuffer.allocate(1)));
        sock.close();
        assertTrue(sock.isClosed());
        assertFalse(c.isOpen());
    }

    @Test
    void serverSocketAdaptor() throws Exception {
        ServerSocketChannel s = server();
        ServerSocket ss = s.socket();
        assertSame(s, ss.getChannel());
        assertTrue(ss.isBound());
        assertEquals(connectable(s).getPort(), ss.getLocalPort());
        ss.setSoTimeout(200);
        assertThrows(SocketTimeoutException.class, ss::accept);
        SocketChannel c = client();
        assertTrue(c.connect(connectable(s)));
        Socket accepted = ss.accept();
        track(accepted);
        assertNotNull(accepted.getChannel());
        assertEquals(c.getLocalAddress(), accepted.getRemoteSocketAddress());
        c.write(bytes("hi"));
        byte[] buf = accepted.getInputStream().readNBytes(2);
        assertEquals("hi", new String(buf, StandardCharsets.UTF_8));
        ss.close();
        assertTrue(ss.isClosed());
        assertFalse(s.isOpen());
    }

    // ------------------------------------------------------------------ SO_REUSEPORT

    /** Flows sent to an SO_REUSEPORT group: enough that each of two members gets some (Linux hashes them). */
    private static final int REUSE_PORT_FLOWS = 32;

    /**
     * Whether a server without SO_REUSEPORT is refused a port that SO_REUSEPORT servers share, as on
     * Linux. Not so where DMM itself sets SO_REUSEPORT on a server's listeners (several kernel
     * members of one wildcard server, which share the OS's port space).
     */
    protected boolean aServerWithoutReusePortIsRefusedASharedPort() {
        return true;
    }

    private ServerSocketChannel reusePortServer(boolean reusePort, int port) throws IOException {
        ServerSocketChannel s = track(newServer());
        assertFalse(s.getOption(StandardSocketOptions.SO_REUSEPORT), "off by default");
        s.setOption(StandardSocketOptions.SO_REUSEPORT, reusePort);
        assertEquals(reusePort, s.getOption(StandardSocketOptions.SO_REUSEPORT));
        s.bind(new InetSocketAddress(serverBindAddress().getAddress(), port));
        s.configureBlocking(false);
        return s;
    }

    /** Connects a new client to {@code port} and returns which of {@code servers} accepted it. */
    private int acceptedBy(List<ServerSocketChannel> servers, int port) throws Exception {
        SocketChannel c = client();
        assertTrue(c.connect(new InetSocketAddress(LOOPBACK, port)));
        int[] by = {-1};
        Waits.until("the connection from " + c.getLocalAddress() + " to be accepted", Duration.ofSeconds(10), () -> {
            for (int i = 0; i < servers.size(); i++) {
                SocketChannel a = servers.get(i).accept();
                if (a != null) {
                    track(a);
                    assertEquals(c.getLocalAddress(), a.getRemoteAddress());
                    by[0] = i;
                    return true;
                }
            }
            return false;
        });
        return by[0];
    }

    @Test
    void serversThatSetReusePortShareAPortAndTheConnectionsAreSpreadOverThem() throws Exception {
        ServerSocketChannel first = reusePortServer(true, 0);
        int port = ((InetSocketAddress) first.getLocalAddress()).getPort();
        ServerSocketChannel second = reusePortServer(true, port);
        assertEquals(port, ((InetSocketAddress) second.getLocalAddress()).getPort());
        if (aServerWithoutReusePortIsRefusedASharedPort()) {
            assertThrows(BindException.class, () -> reusePortServer(false, port));
        } else {
            reusePortServer(false, port).close(); // it binds: its listeners got SO_REUSEPORT from DMM
        }
        List<ServerSocketChannel> both = List.of(first, second);
        int[] accepted = new int[2];
        for (int i = 0; i < REUSE_PORT_FLOWS; i++) {
            accepted[acceptedBy(both, port)]++;
        }
        assertTrue(accepted[0] > 0 && accepted[1] > 0, "spread " + accepted[0] + "/" + accepted[1]);

        first.close(); // the other goes on serving the port alone
        for (int i = 0; i < 8; i++) {
            assertEquals(0, acceptedBy(List.of(second), port));
        }
    }

    @Test
    void datagramChannelsThatSetReusePortShareAPortAndTheFlowsAreSpreadOverThem() throws Exception {
        List<DatagramChannel> group = new ArrayList<>();
        int port = 0;
        for (int i = 0; i < 2; i++) {
            DatagramChannel d = datagram();
            assertFalse(d.getOption(StandardSocketOptions.SO_REUSEPORT), "off by default");
            d.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            d.bind(new InetSocketAddress(LOOPBACK, port));
            d.configureBlocking(false);
            port = ((InetSocketAddress) d.getLocalAddress()).getPort();
            group.add(d);
        }
        InetSocketAddress shared = new InetSocketAddress(LOOPBACK, port);
        DatagramChannel without = datagram();
        assertThrows(BindException.class, () -> without.bind(shared));

        int[] received = new int[2];
        for (int i = 0; i < REUSE_PORT_FLOWS; i++) {
            received[receivedBy(group, shared)]++;
        }
        assertTrue(received[0] > 0 && received[1] > 0, "spread " + received[0] + "/" + received[1]);

        group.getFirst().close(); // the other receives every flow now
        for (int i = 0; i < 8; i++) {
            assertEquals(1, receivedBy(group, shared));
        }
    }

    /** Sends a datagram from a new sender (a new flow) to {@code to}; returns which open member of {@code group} got it. */
    private int receivedBy(List<DatagramChannel> group, InetSocketAddress to) throws Exception {
        DatagramChannel sender = datagram();
        String text = "from a new sender";
        sender.send(bytes(text), to);
        int[] by = {-1};
        Waits.until("the datagram to be received", Duration.ofSeconds(10), () -> {
            for (int i = 0; i < group.size(); i++) {
                if (!group.get(i).isOpen()) {
                    continue;
                }
                ByteBuffer buf = ByteBuffer.allocate(64);
                SocketAddress from = group.get(i).receive(buf);
                if (from != null) {
                    assertEquals(((InetSocketAddress) sender.getLocalAddress()).getPort(), ((InetSocketAddress) from).getPort());
                    assertEquals(text, new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8));
                    by[0] = i;
                    return true;
                }
            }
            return false;
        });
        sender.close();
        return by[0];
    }

    // ------------------------------------------------------------------ datagrams

    @Test
    void datagramSendReceiveConnect() throws IOException {
        DatagramChannel receiver = boundDatagram();
        InetSocketAddress to = (InetSocketAddress) receiver.getLocalAddress();
        assertTrue(to.getPort() > 0);
        DatagramChannel sender = datagram();
        assertFalse(sender.isConnected());
        assertThrows(NotYetConnectedException.class, () -> sender.write(bytes("x")));
        assertThrows(NotYetConnectedException.class, () -> sender.read(ByteBuffer.allocate(1)));
        assertEquals(5, sender.send(bytes("hello"), to));
        ByteBuffer buf = ByteBuffer.allocate(64);
        SocketAddress from = receiver.receive(buf);
        assertEquals(((InetSocketAddress) sender.getLocalAddress()).getPort(), ((InetSocketAddress) from).getPort());
        assertEquals("hello", new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8));

        sender.connect(to);
        assertTrue(sender.isConnected());
        assertEquals(to, sender.getRemoteAddress());
        assertEquals(3, sender.write(bytes("abc")));
        buf.clear();
        receiver.receive(buf);
        assertEquals("abc", new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8));
        receiver.send(bytes("back"), from);
        ByteBuffer in = ByteBuffer.allocate(16);
        assertEquals(4, sender.read(in));
        sender.disconnect();
        assertFalse(sender.isConnected());
        receiver.configureBlocking(false);
        assertNull(receiver.receive(ByteBuffer.allocate(4)));
    }

    @Test
    void datagramInterruptDuringReceive() throws Exception {
        DatagramChannel receiver = datagram();
        receiver.bind(new InetSocketAddress(LOOPBACK, 0));
        AtomicBoolean flag = new AtomicBoolean();
        Throwable t = blockThenDisturb("receive", () -> receiver.receive(ByteBuffer.allocate(8)), Thread::interrupt, flag);
        assertInstanceOf(ClosedByInterruptException.class, t);
        assertTrue(flag.get());
        assertFalse(receiver.isOpen());
    }

    @Test
    void datagramSocketAdaptor() throws Exception {
        DatagramChannel receiver = datagram();
        DatagramSocket rs = receiver.socket();
        assertSame(receiver, rs.getChannel());
        rs.bind(new InetSocketAddress(LOOPBACK, 0));
        int port = rs.getLocalPort();
        assertTrue(port > 0);
        DatagramChannel sender = datagram();
        DatagramSocket ss = sender.socket();
        byte[] payload = "dgram".getBytes(StandardCharsets.UTF_8);
        ss.send(new DatagramPacket(payload, payload.length, LOOPBACK, port));
        DatagramPacket p = new DatagramPacket(new byte[64], 64);
        rs.setSoTimeout(5000);
        rs.receive(p);
        assertEquals("dgram", new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8));
        rs.setSoTimeout(200);
        assertThrows(SocketTimeoutException.class, () -> rs.receive(new DatagramPacket(new byte[8], 8)));
        ss.connect(LOOPBACK, port);
        assertTrue(ss.isConnected());
        assertEquals(port, ss.getPort());
        ss.send(new DatagramPacket(payload, 2));
        DatagramPacket p2 = new DatagramPacket(new byte[64], 64);
        rs.setSoTimeout(5000);
        rs.receive(p2);
        assertEquals("dg", new String(p2.getData(), 0, p2.getLength(), StandardCharsets.UTF_8));
        assertEquals(ss.getLocalPort(), p2.getPort());
        ss.disconnect();
        assertFalse(ss.isConnected());
        assertThrows(IllegalArgumentException.class, () -> ss.connect(null, 1));
        rs.close();
        assertTrue(rs.isClosed());
        assertFalse(receiver.isOpen());
    }

    @Test
    void ipv6Loopback() throws IOException {
        InetAddress v6 = InetAddress.ofLiteral("::1");
        ServerSocketChannel s = track(newServer());
        s.bind(new InetSocketAddress(v6, 0));
        SocketChannel c = client();
        assertTrue(c.connect(s.getLocalAddress()));
        SocketChannel a = track(s.accept());
        c.write(bytes("six"));
        assertEquals("six", readExactly(a, 3));
        assertEquals(v6, ((InetSocketAddress) c.getRemoteAddress()).getAddress());
    }

    // ------------------------------------------------------------------ issue 13: adaptors and options as the JDK's

    /**
     * ServerSocketAdaptor.accept on a non-blocking channel: without SO_TIMEOUT it still hands out a
     * queued connection (the JDK's long-standing behaviour) and refuses only when it would wait;
     * with SO_TIMEOUT it refuses at once.
     */
    @Test
    void serverSocketAdaptorAcceptOnANonBlockingChannel() throws Exception {
        ServerSocketChannel s = server();
        s.configureBlocking(false);
        ServerSocket ss = s.socket();
        assertThrows(java.nio.channels.IllegalBlockingModeException.class, ss::accept);
        SocketChannel c = client();
        assertTrue(c.connect(connectable(s)));
        ss.setSoTimeout(1000);
        assertThrows(java.nio.channels.IllegalBlockingModeException.class, ss::accept);
        ss.setSoTimeout(0);
        List<Socket> accepted = new ArrayList<>();
        Waits.until("the queued connection to be accepted", Duration.ofSeconds(10), () -> {
            try {
                accepted.add(track(ss.accept()));
                return true;
            } catch (java.nio.channels.IllegalBlockingModeException notYetQueued) {
                return false;
            }
        });
        assertEquals(c.getLocalAddress(), accepted.get(0).getRemoteSocketAddress());
        assertTrue(s.isOpen());
    }

    @Test
    void socketAdaptorReadAfterShutdownInputIsEndOfStream() throws IOException {
        SocketChannel[] p = pair();
        Socket s = p[0].socket();
        InputStream in = s.getInputStream();
        s.shutdownInput();
        assertEquals(-1, in.read());
        assertEquals(-1, in.read(new byte[4], 0, 4));
        assertTrue(s.isInputShutdown());
        assertEquals("Socket input is shutdown",
                assertThrows(java.net.SocketException.class, s::getInputStream).getMessage());
    }

    @Test
    void socketAdaptorLocalAddressAfterConnectIsTheRealOne() throws IOException {
        ServerSocketChannel server = server();
        SocketChannel c = client();
        Socket s = c.socket();
        s.connect(connectable(server), 5000);
        InetSocketAddress local = (InetSocketAddress) c.getLocalAddress();
        assertEquals(LOOPBACK, s.getLocalAddress());
        assertEquals(local.getAddress(), s.getLocalAddress());
        assertEquals(local.getPort(), s.getLocalPort());
        assertEquals(local, s.getLocalSocketAddress());

        SocketChannel bound = client();
        Socket b = bound.socket();
        b.bind(new InetSocketAddress(0));
        b.connect(connectable(server));
        assertFalse(b.getLocalAddress().isAnyLocalAddress(), "bound to the wildcard, connected: " + b.getLocalAddress());
        assertEquals(((InetSocketAddress) bound.getLocalAddress()).getAddress(), b.getLocalAddress());
    }

    @Test
    void datagramSocketAdaptorConnectToAnUnsupportedAddressTypeIsIllegalArgument() throws IOException {
        DatagramSocket ds = datagram().socket();
        SocketAddress foreign = new SocketAddress() { };
        assertThrows(IllegalArgumentException.class, () -> ds.connect(foreign));
        assertFalse(ds.isConnected());
        assertFalse(ds.isClosed());
    }

    /** The JDK's channels keep their addresses after close, and so report them through their adaptors. */
    @Test
    void adaptorsKeepTheirAddressesAfterClose() throws IOException {
        ServerSocketChannel server = server();
        ServerSocket ss = server.socket();
        int port = ss.getLocalPort();
        SocketAddress serverAddress = ss.getLocalSocketAddress();
        InetAddress serverInet = ss.getInetAddress();
        SocketChannel[] p = pair();
        Socket s = p[0].socket();
        InetAddress peer = s.getInetAddress();
        int peerPort = s.getPort();
        int localPort = s.getLocalPort();
        DatagramChannel d = datagram();
        d.bind(new InetSocketAddress(LOOPBACK, 0));
        DatagramSocket ds = d.socket();
        assertTrue(ds.isBound());

        ss.close();
        s.close();
        ds.close();

        assertEquals(port, ss.getLocalPort());
        assertEquals(serverAddress, ss.getLocalSocketAddress());
        assertEquals(serverInet, ss.getInetAddress());
        assertTrue(ss.isBound());
        assertNotNull(s.getInetAddress());
        assertEquals(peer, s.getInetAddress());
        assertEquals(peerPort, s.getPort());
        assertEquals(localPort, s.getLocalPort());
        assertTrue(ds.isBound());
        assertFalse(datagramClosedUnbound().isBound());
    }

    private DatagramSocket datagramClosedUnbound() throws IOException {
        DatagramChannel d = datagram();
        d.close();
        return d.socket();
    }

    /**
     * Option values are checked as the JDK checks them (sun.nio.ch.Net.setSocketOption): the type
     * before the channel's state, the range once it is known to be open; SO_LINGER is lowered into
     * its range rather than refused.
     */
    @Test
    void optionValuesAreCheckedAsTheJdkChecksThem() throws IOException {
        DatagramChannel d = datagram();
        assertEquals("Invalid TTL/hop value", assertThrows(IllegalArgumentException.class,
                () -> d.setOption(java.net.StandardSocketOptions.IP_MULTICAST_TTL, -1)).getMessage());
        assertEquals("Invalid TTL/hop value", assertThrows(IllegalArgumentException.class,
                () -> d.setOption(java.net.StandardSocketOptions.IP_MULTICAST_TTL, 256)).getMessage());
        assertEquals("Invalid IP_TOS value", assertThrows(IllegalArgumentException.class,
                () -> d.setOption(java.net.StandardSocketOptions.IP_TOS, 256)).getMessage());
        d.setOption(java.net.StandardSocketOptions.IP_MULTICAST_TTL, 255);
        assertEquals(255, d.getOption(java.net.StandardSocketOptions.IP_MULTICAST_TTL));
        SocketChannel c = client();
        c.setOption(java.net.StandardSocketOptions.SO_LINGER, 70_000);
        assertEquals(65_535, c.getOption(java.net.StandardSocketOptions.SO_LINGER));
        c.setOption(java.net.StandardSocketOptions.SO_LINGER, -7);
        assertEquals(-1, c.getOption(java.net.StandardSocketOptions.SO_LINGER));
        assertEquals("Invalid value 'null'", assertThrows(IllegalArgumentException.class,
                () -> c.setOption(java.net.StandardSocketOptions.SO_KEEPALIVE, null)).getMessage());
        c.close();
        assertThrows(IllegalArgumentException.class, () -> c.setOption(java.net.StandardSocketOptions.SO_KEEPALIVE, null));
        assertThrows(ClosedChannelException.class, () -> c.setOption(java.net.StandardSocketOptions.IP_TOS, 256));
    }

    @Test
    void optionsRoundTrip() throws IOException {
        SocketChannel c = client();
        c.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
        assertTrue(c.getOption(java.net.StandardSocketOptions.TCP_NODELAY));
        assertThrows(IllegalArgumentException.class, () -> c.setOption(java.net.StandardSocketOptions.SO_RCVBUF, -1));
        assertThrows(UnsupportedOperationException.class,
                () -> c.setOption(java.net.StandardSocketOptions.IP_MULTICAST_TTL, 3));
        assertTrue(c.supportedOptions().contains(java.net.StandardSocketOptions.SO_KEEPALIVE));
        assertFalse(c.getOption(java.net.StandardSocketOptions.SO_KEEPALIVE));
    }

    /** Many channels one after another: nothing leaks and every echo is intact. */
    @Test
    void sequentialEchoes() throws Exception {
        ServerSocketChannel s = server();
        for (int i = 0; i < 50; i++) {
            try (SocketChannel c = newClient()) {
                assertTrue(c.connect(connectable(s)));
                try (SocketChannel a = s.accept()) {
                    c.write(bytes("n" + i));
                    assertEquals("n" + i, readExactly(a, ("n" + i).length()));
                }
            }
        }
    }

}
