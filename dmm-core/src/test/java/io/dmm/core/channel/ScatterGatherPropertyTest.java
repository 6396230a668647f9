package io.dmm.core.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dmm.api.RouteHints;
import io.dmm.core.runtime.DmmRuntime;
import io.dmm.core.testsupport.TestPolicy;
import io.dmm.core.testsupport.TestStacks;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * For any buffer layout and any (offset, length), a routed channel's gathering write and scattering
 * read give the same outcome as the JDK's: the same exception class, or the same bytes moved.
 */
class ScatterGatherPropertyTest {
    private static DmmRuntime runtime;

    @BeforeContainer
    static void start() {
        runtime = new DmmRuntime(new TestPolicy().kernel("k1").defaults("k1"), TestStacks.providers());
    }

    @AfterContainer
    static void stop() {
        runtime.close();
    }

    private static SocketChannel[] pair(boolean routed) throws IOException {
        try (ServerSocketChannel s = routed ? runtime.openServerSocketChannel(null, RouteHints.none())
                : ServerSocketChannel.open()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            SocketChannel c = routed ? runtime.openSocketChannel(null, RouteHints.none()) : SocketChannel.open();
            c.connect(s.getLocalAddress());
            return new SocketChannel[] {c, s.accept()};
        }
    }

    /** What one gathering write + scattering read did: an exception class name, or the bytes received. */
    private static String outcome(boolean routed, List<Integer> sizes, int offset, int length) throws IOException {
        SocketChannel[] p = pair(routed);
        try {
            ByteBuffer[] out = new ByteBuffer[sizes.size()];
            int total = 0;
            for (int i = 0; i < out.length; i++) {
                byte[] b = new byte[sizes.get(i)];
                for (int j = 0; j < b.length; j++) {
                    b[j] = (byte) (i * 31 + j);
                }
                out[i] = ByteBuffer.wrap(b);
            }
            long written;
            try {
                written = p[0].write(out, offset, length);
            } catch (RuntimeException e) {
                return "write:" + e.getClass().getSimpleName();
            }
            for (int i = offset; i < offset + length; i++) {
                total += sizes.get(i);
            }
            assertEquals(total, written, "a blocking gathering write writes everything");
            ByteBuffer[] in = new ByteBuffer[sizes.size()];
            for (int i = 0; i < in.length; i++) {
                in[i] = ByteBuffer.allocate(sizes.get(i));
            }
            long read = 0;
            while (read < written) {
                long n;
                try {
                    n = p[1].read(in, offset, length);
                } catch (RuntimeException e) {
                    return "read:" + e.getClass().getSimpleName();
                }
                read += n;
            }
            StringBuilder sb = new StringBuilder();
            for (ByteBuffer b : in) {
                sb.append(java.util.HexFormat.of().formatHex(b.array(), 0, b.position())).append('|');
            }
            return sb.toString();
        } finally {
            p[0].close();
            p[1].close();
        }
    }

    @Property(tries = 60)
    void routedMatchesJdk(@ForAll @Size(min = 1, max = 6) List<@IntRange(min = 0, max = 3000) Integer> sizes,
                          @ForAll @IntRange(min = -1, max = 7) int offset,
                          @ForAll @IntRange(min = -1, max = 7) int length) throws IOException {
        String jdk = outcome(false, sizes, offset, length);
        String dmm = outcome(true, sizes, offset, length);
        assertEquals(jdk, dmm);
    }
}
