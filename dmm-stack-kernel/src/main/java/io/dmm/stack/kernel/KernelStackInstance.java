package io.dmm.stack.kernel;

import io.dmm.api.Protocol;
import io.dmm.api.spi.AsynchronousGroup;
import io.dmm.api.spi.StackCapability;
import io.dmm.api.spi.StackHealth;
import io.dmm.api.spi.StackInstance;
import io.dmm.jdk.platform.PlatformChannels;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ProtocolFamily;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One kernel stack instance: JDK channels with this instance's default socket options. Instances of
 * the kernel type differ only in those options and in their source address; they share one kernel.
 */
public final class KernelStackInstance implements StackInstance {
    private static final Set<StackCapability> CAPABILITIES = Set.of(StackCapability.SHARES_OS_PORT_SPACE,
            StackCapability.REUSE_PORT, StackCapability.ASYNCHRONOUS_CHANNELS, StackCapability.URGENT_DATA);

    private final String name;
    private final Map<SocketOption<?>, Object> options;
    private final InetAddress source;

    public KernelStackInstance(String name, Map<SocketOption<?>, Object> options, InetAddress source) {
        this.name = name;
        this.options = new LinkedHashMap<>(options);
        this.source = source;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return KernelStackProvider.TYPE;
    }

    @Override
    public boolean supports(Protocol protocol, ProtocolFamily family) {
        return family == null || family == StandardProtocolFamily.INET || family == StandardProtocolFamily.INET6;
    }

    @Override
    public StackHealth health() {
        return StackHealth.UP;
    }

    /** The platform's sockets: the kernel's port space, SO_REUSEPORT, asynchronous channels, urgent data. */
    @Override
    public Set<StackCapability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public SocketChannel openSocketChannel(ProtocolFamily family) throws IOException {
        return configure(PlatformChannels.openSocketChannel(family));
    }

    @Override
    public ServerSocketChannel openServerSocketChannel(ProtocolFamily family) throws IOException {
        return configure(PlatformChannels.openServerSocketChannel(family));
    }

    @Override
    public DatagramChannel openDatagramChannel(ProtocolFamily family) throws IOException {
        return configure(PlatformChannels.openDatagramChannel(family));
    }

    /**
     * The JDK's own channel for {@code new DatagramSocket()}, which an interrupt does not close;
     * for a given family, which the JDK's legacy socket cannot have, the ordinary one.
     */
    @Override
    public DatagramChannel openDatagramSocketChannel(ProtocolFamily family) throws IOException {
        if (family != null) {
            return openDatagramChannel(family);
        }
        return configure(PlatformChannels.openUninterruptibleDatagramChannel());
    }

    /** The platform's asynchronous channel in {@code group}'s platform group, with this instance's options. */
    @Override
    public AsynchronousSocketChannel openAsynchronousSocketChannel(AsynchronousGroup group) throws IOException {
        return configure(PlatformChannels.openAsynchronousSocketChannel(group.platform()));
    }

    @Override
    public AsynchronousServerSocketChannel openAsynchronousServerSocketChannel(AsynchronousGroup group)
            throws IOException {
        return configure(PlatformChannels.openAsynchronousServerSocketChannel(group.platform()));
    }

    /** Applies the instance's options that this kind of channel supports; closes it if one fails. */
    private <C extends NetworkChannel> C configure(C channel) throws IOException {
        try {
            for (Map.Entry<SocketOption<?>, Object> e : options.entrySet()) {
                if (channel.supportedOptions().contains(e.getKey())) {
                    set(channel, e.getKey(), e.getValue());
                }
            }
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void set(NetworkChannel channel, SocketOption<T> option, Object value) throws IOException {
        channel.setOption(option, (T) value);
    }

    /** The options this instance applies, in file order (for tests and diagnostics). */
    public Map<SocketOption<?>, Object> options() {
        return java.util.Collections.unmodifiableMap(options);
    }

    @Override
    public InetAddress sourceAddress() {
        return source;
    }

    @Override
    public Map<String, Long> counters() {
        return Map.of();
    }

    /** Nothing to stop: channels the kernel instance opened belong to their routed channels. */
    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "kernel stack " + name;
    }
}
