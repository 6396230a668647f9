package io.dmm.stack.userspace;

import io.dmm.api.Protocol;
import io.dmm.api.spi.StackHealth;
import io.dmm.api.spi.StackInstance;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Map;

/**
 * A stack instance whose device could not be opened (e.g. DPDK missing): DOWN for good, with the
 * reason. DMM's routing skips it for a rule's fallback stacks; a socket routed to it alone fails
 * with the reason. Holds nothing, so closing it does nothing.
 */
final class UnavailableStack implements StackInstance {
    private final String name;
    private final String type;
    private final String reason;

    UnavailableStack(String name, String type, String reason) {
        this.name = name;
        this.type = type;
        this.reason = reason;
    }

    @Override public String name() { return name; }
    @Override public String type() { return type; }
    @Override public boolean supports(Protocol protocol, ProtocolFamily family) { return false; }
    @Override public StackHealth health() { return StackHealth.DOWN; }
    @Override public String healthDetail() { return reason; }
    @Override public InetAddress sourceAddress() { return null; }
    @Override public Map<String, Long> counters() { return Map.of(); }
    @Override public void close() {}

    @Override
    public SocketChannel openSocketChannel(ProtocolFamily family) throws IOException {
        throw new IOException(reason);
    }

    @Override
    public ServerSocketChannel openServerSocketChannel(ProtocolFamily family) throws IOException {
        throw new IOException(reason);
    }

    @Override
    public DatagramChannel openDatagramChannel(ProtocolFamily family) throws IOException {
        throw new IOException(reason);
    }

    @Override
    public String toString() {
        return reason;
    }
}
