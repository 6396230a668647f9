package io.dmm.core.testsupport;

import io.dmm.api.Protocol;
import io.dmm.api.spi.StackCapability;
import io.dmm.api.spi.StackHealth;
import io.dmm.api.spi.StackInstance;
import io.dmm.api.spi.StackProvider;
import io.dmm.api.spi.StackSettings;
import io.dmm.stack.kernel.KernelStackProvider;
import io.dmm.stack.userspace.UserspaceStackProvider;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ProtocolFamily;
import io.dmm.api.spi.AsynchronousGroup;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** Stack types for tests: a kernel stack that reports DOWN, one whose connects are refused, ... */
public final class TestStacks {
    private TestStacks() {
    }

    /** Kernel, userspace, the test types below, and the fd-less {@link MemoryStackProvider}. */
    public static List<StackProvider> providers() {
        return List.of(new KernelStackProvider(), new UserspaceStackProvider(), new DownProvider(), new RefusingProvider(),
                new HangingProvider(), new MemoryStackProvider());
    }

    /**
     * A policy routing everything to a userspace loopback instance (127.0.0.1/8) except IPv6, which
     * the userspace stack does not carry: that goes to a kernel instance, as a real policy would say.
     */
    public static TestPolicy userspaceWithKernelForIpv6() {
        return new TestPolicy().stack("u1", "userspace", userspaceLoopback()).kernel("k6")
                .rule(k -> k.service() instanceof java.net.Inet6Address || k.source() instanceof java.net.Inet6Address, "k6")
                .defaults("u1");
    }

    /** As {@link #userspaceWithKernelForIpv6()}, the userspace instance spread over two shards. */
    public static TestPolicy shardedUserspaceWithKernelForIpv6() {
        Map<String, Object> settings = new java.util.HashMap<>(userspaceLoopback());
        settings.put("shards", 2L);
        return new TestPolicy().stack("u1", "userspace", settings).kernel("k6")
                .rule(k -> k.service() instanceof java.net.Inet6Address || k.source() instanceof java.net.Inet6Address, "k6")
                .defaults("u1");
    }

    /** Settings of a userspace instance on a loopback device owning 127.0.0.1/8, so suites written for loopback run on it. */
    public static Map<String, Object> userspaceLoopback() {
        return Map.of("address", "127.0.0.1/8", "device", Map.of("driver", "loopback", "slots", 256L));
    }

    /** Wraps a real kernel instance but reports DOWN (type "down"). */
    public static final class DownProvider implements StackProvider {
        @Override public String type() { return "down"; }

        @Override
        public StackInstance create(StackSettings settings) {
            settings.allowOnly(Set.of());
            return new Wrapper(settings.name(), "down", new KernelStackProvider().create(settings), StackHealth.DOWN);
        }
    }

    /** Channels that refuse every connect (type "refusing"); servers and datagrams are kernel ones. */
    public static final class RefusingProvider implements StackProvider {
        @Override public String type() { return "refusing"; }

        @Override
        public StackInstance create(StackSettings settings) {
            settings.allowOnly(Set.of());
            return new Wrapper(settings.name(), "refusing", new KernelStackProvider().create(settings), StackHealth.UP) {
                @Override
                public SocketChannel openSocketChannel(ProtocolFamily family) throws IOException {
                    return new RefusingSocketChannel();
                }

                @Override
                public AsynchronousSocketChannel openAsynchronousSocketChannel(AsynchronousGroup group) {
                    return new RefusingAsynchronousSocketChannel();
                }
            };
        }
    }

    /** Channels whose blocking connect hangs until closed or interrupted (type "hanging"). */
    public static final class HangingProvider implements StackProvider {
        @Override public String type() { return "hanging"; }

        @Override
        public StackInstance create(StackSettings settings) {
            settings.allowOnly(Set.of());
            return new Wrapper(settings.name(), "hanging", new KernelStackProvider().create(settings), StackHealth.UP) {
                @Override
                public SocketChannel openSocketChannel(ProtocolFamily family) throws IOException {
                    return new HangingSocketChannel();
                }
            };
        }
    }

    /** Counts create/close; fails creation when told to (StackRegistry all-or-nothing tests). */
    public static final class TrackingProvider implements StackProvider {
        public final AtomicInteger created = new AtomicInteger();
        public final AtomicInteger closed = new AtomicInteger();
        private final String type;
        private final boolean fail;

        public TrackingProvider(String type, boolean fail) {
            this.type = type;
            this.fail = fail;
        }

        @Override public String type() { return type; }

        @Override
        public StackInstance create(StackSettings settings) {
            if (fail) {
                throw settings.error("type", "this provider always fails");
            }
            created.incrementAndGet();
            return new Wrapper(settings.name(), type, new KernelStackProvider().create(settings), StackHealth.UP) {
                @Override
                public void close() {
                    closed.incrementAndGet();
                }
            };
        }
    }

    /** A kernel instance under another name/type/health. */
    public static class Wrapper implements StackInstance {
        private final String name;
        private final String type;
        private final StackInstance kernel;
        private volatile StackHealth health;

        public Wrapper(String name, String type, StackInstance kernel, StackHealth health) {
            this.name = name;
            this.type = type;
            this.kernel = kernel;
            this.health = health;
        }

        public void health(StackHealth h) { health = h; }
        @Override public String name() { return name; }
        @Override public String type() { return type; }
        @Override public boolean supports(Protocol protocol, ProtocolFamily family) { return kernel.supports(protocol, family); }
        @Override public StackHealth health() { return health; }
        /**
         * None, as before capabilities were asked: it stands for a stack of another type, and some of
         * its channels are not the kernel's (a refusing or hanging client), so it cannot adopt an OS
         * socket; its servers, the kernel's, get no SO_REUSEPORT from DMM.
         */
        @Override public Set<StackCapability> capabilities() { return Set.of(); }
        @Override public SocketChannel openSocketChannel(ProtocolFamily family) throws IOException { return kernel.openSocketChannel(family); }
        @Override public ServerSocketChannel openServerSocketChannel(ProtocolFamily family) throws IOException { return kernel.openServerSocketChannel(family); }
        @Override public DatagramChannel openDatagramChannel(ProtocolFamily family) throws IOException { return kernel.openDatagramChannel(family); }
        @Override public AsynchronousSocketChannel openAsynchronousSocketChannel(AsynchronousGroup g) throws IOException { return kernel.openAsynchronousSocketChannel(g); }
        @Override public AsynchronousServerSocketChannel openAsynchronousServerSocketChannel(AsynchronousGroup g) throws IOException { return kernel.openAsynchronousServerSocketChannel(g); }
        @Override public InetAddress sourceAddress() { return kernel.sourceAddress(); }
        @Override public Map<String, Long> counters() { return Map.of("wrapped", 1L); }
        @Override public void close() { kernel.close(); }
    }
}
