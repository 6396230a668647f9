package io.dmm.agent.compat;

import static io.dmm.agent.compat.Compat.fact;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The clients of {@link VirtualThreadServerApp}, in a JVM of their own under the agent: connect
 * {@code n} times, say {@code connected=n}, wait for "go" on stdin, send one byte on each and read
 * it back, then print the facts and DMM's counters. Arguments: port, n.
 */
public final class VirtualThreadClients {
    private VirtualThreadClients() {
    }

    public static void main(String[] args) throws Exception {
        InetSocketAddress server = new InetSocketAddress(Compat.LOOPBACK, Integer.parseInt(args[0]));
        int n = Integer.parseInt(args[1]);
        List<SocketChannel> channels = new ArrayList<>(n);
        try {
            for (int i = 0; i < n; i++) {
                channels.add(SocketChannel.open(server));
            }
            fact("connected", channels.size());
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            if (!"go".equals(in.readLine())) {
                throw new IllegalStateException("no go");
            }
            for (int i = 0; i < n; i++) {
                channels.get(i).write(ByteBuffer.wrap(new byte[] {(byte) i}));
            }
            int echoed = 0;
            for (int i = 0; i < n; i++) {
                ByteBuffer b = ByteBuffer.allocate(2);
                SocketChannel ch = channels.get(i);
                while (ch.read(b) > 0) {
                    // until the server closes
                }
                if (b.position() == 1 && b.get(0) == (byte) i) {
                    echoed++;
                }
            }
            fact("echoed", echoed);
        } finally {
            for (SocketChannel ch : channels) {
                ch.close();
            }
        }
        Compat.stats();
    }
}
