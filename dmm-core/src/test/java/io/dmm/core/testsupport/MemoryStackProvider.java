package io.dmm.core.testsupport;

import io.dmm.api.Protocol;
import io.dmm.api.spi.StackCapability;
import io.dmm.api.spi.StackHealth;
import io.dmm.api.spi.StackInstance;
import io.dmm.api.spi.StackProvider;
import io.dmm.api.spi.StackSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stack without file descriptors (type "memory"): TCP over in-JVM byte queues, each instance its
 * own port namespace. Its channels report readiness through {@link io.dmm.api.spi.ReadinessSource},
 * as a userspace stack's will, so DMM's selector can be tested without one.
 */
public final class MemoryStackProvider implements StackProvider {
    public static final String TYPE = "memory";

    @Override public String type() { return TYPE; }

    @Override
    public StackInstance create(StackSettings settings) {
        settings.allowOnly(Set.of("busyPoll"));
        long spinMicros = settings.integer("busyPoll", -1);
        return new Instance(settings.name(), spinMicros < 0 ? null : new MemoryBusyPoller(spinMicros * 1_000));
    }

    /** The busy poller of a memory instance made with {@code "busyPoll"}, else null. */
    public static MemoryBusyPoller busyPoller(StackInstance instance) {
        return ((Instance) instance).busyPoller;
    }

    /** One in-memory network: its listeners by port. */
    static final class Instance implements StackInstance {
        private final String name;
        private final Map<Integer, MemoryServerSocketChannel> listeners = new ConcurrentHashMap<>();
        private final AtomicInteger nextPort = new AtomicInteger(40000);
        /** Offered to selectors by every channel of the instance; null unless the settings ask for it. */
        final MemoryBusyPoller busyPoller;

        Instance(String name, MemoryBusyPoller busyPoller) {
            this.name = name;
            this.busyPoller = busyPoller;
        }

        int ephemeralPort() {
            return nextPort.getAndIncrement();
        }

        boolean listen(int port, MemoryServerSocketChannel server) {
            return listeners.putIfAbsent(port, server) == null;
        }

        void unlisten(int port, MemoryServerSocketChannel server) {
            listeners.remove(port, server);
        }

        MemoryServerSocketChannel listener(int port) {
            return listeners.get(port);
        }

        @Override public String name() { return name; }
        @Override public String type() { return TYPE; }
        @Override public boolean supports(Protocol protocol, ProtocolFamily family) {
            return protocol == Protocol.TCP && family == StandardProtocolFamily.INET;
        }
        @Override public StackHealth health() { return StackHealth.UP; }
        /** None: its own in-memory port space, no SO_REUSEPORT, no asynchronous channels, no urgent data. */
        @Override public Set<StackCapability> capabilities() { return Set.of(); }
        @Override public SocketChannel openSocketChannel(ProtocolFamily family) { return new MemorySocketChannel(this); }
        @Override public ServerSocketChannel openServerSocketChannel(ProtocolFamily family) {
            return new MemoryServerSocketChannel(this);
        }
        @Override public DatagramChannel openDatagramChannel(ProtocolFamily family) throws IOException {
            throw new IOException("memory stack: no UDP");
        }
        @Override public InetAddress sourceAddress() { return null; }
        @Override public Map<String, Long> counters() { return Map.of(); }
        @Override public void close() { }
    }
}
