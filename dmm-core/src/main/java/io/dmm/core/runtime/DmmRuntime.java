package io.dmm.core.runtime;

import io.dmm.api.DmmStats;
import io.dmm.api.RouteExplanation;
import io.dmm.api.RouteHints;
import io.dmm.api.RouteQuery;
import io.dmm.api.StackStats;
import io.dmm.api.spi.DmmRuntimeBinding;
import io.dmm.api.spi.StackProvider;
import io.dmm.core.DmmSelectorProvider;
import io.dmm.core.channel.RoutedAsynchronousServerSocketChannel;
import io.dmm.core.channel.RoutedAsynchronousSocketChannel;
import io.dmm.core.channel.RoutedChannelProvider;
import io.dmm.core.channel.RoutedDatagramChannel;
import io.dmm.core.channel.RoutedServerSocketChannel;
import io.dmm.core.channel.RoutedSocketChannel;
import io.dmm.core.config.PolicyLoader;
import io.dmm.core.policy.Policy;
import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.Channel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.nio.channels.spi.SelectorProvider;
import java.util.Optional;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One policy, running: its stack instances, its router and counters, and the routed channels it
 * opens. The JVM-wide instance ({@link #global()}) is created on first use from
 * {@link PolicyLoader#fromSystem()}; tests build their own from a {@link Policy}.
 */
public final class DmmRuntime implements DmmRuntimeBinding, AutoCloseable {
    private static final Object GLOBAL_LOCK = new Object();
    private static volatile DmmRuntime global;

    private final StackRegistry registry;
    private final Router router;
    private final RoutedChannelProvider provider;
    private volatile boolean closed;

    /** Builds the policy's stacks with the providers found by ServiceLoader. */
    public DmmRuntime(Policy policy) {
        this(policy, StackRegistry.build(policy.stacks()), null);
    }

    /** Builds the policy's stacks with the given providers (tests, embedding). */
    public DmmRuntime(Policy policy, Iterable<StackProvider> providers) {
        this(policy, StackRegistry.build(policy.stacks(), providers), null);
    }

    /** {@code shared}: the provider its channels report, or null for one of its own. */
    private DmmRuntime(Policy policy, StackRegistry registry, RoutedChannelProvider shared) {
        this.registry = registry;
        try {
            this.router = new Router(Objects.requireNonNull(policy, "policy"), registry);
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
        this.provider = shared != null ? shared : new RoutedChannelProvider(this);
    }

    /**
     * The JVM's runtime, built from the configured policy on first use. A bad policy throws its
     * {@link io.dmm.api.DmmConfigException} here, at the first DMM call; the next call tries again.
     */
    public static DmmRuntime global() {
        DmmRuntime r = global;
        if (r == null) {
            synchronized (GLOBAL_LOCK) {
                r = global;
                if (r == null) {
                    RoutedChannelProvider shared = systemProvider(); // first: nothing to undo if it throws
                    Policy policy = PolicyLoader.fromSystem();
                    r = global = new DmmRuntime(policy, StackRegistry.build(policy.stacks()), shared);
                }
            }
        }
        return r;
    }

    /**
     * DMM's system-wide provider when it is installed, so that the JVM-wide runtime's channels
     * report the very object {@code SelectorProvider.provider()} returns; else null. Asking is
     * safe here: DmmSelectorProvider's constructor never reaches this method, and a thread that
     * gets here while creating the system provider gets null from {@code provider()}.
     */
    private static RoutedChannelProvider systemProvider() {
        return SelectorProvider.provider() instanceof DmmSelectorProvider dmm ? dmm : null;
    }

    public Router router() {
        return router;
    }

    public StackRegistry registry() {
        return registry;
    }

    /** The provider every channel of this runtime reports. */
    public RoutedChannelProvider provider() {
        return provider;
    }

    private void checkOpen(ProtocolFamily family, RouteHints hints) {
        if (closed) {
            throw new IllegalStateException("DMM runtime is closed");
        }
        if (family != null && family != StandardProtocolFamily.INET && family != StandardProtocolFamily.INET6) {
            throw new UnsupportedOperationException("Protocol family not supported by DMM: " + family);
        }
        router.checkHints(hints);
    }

    @Override
    public SocketChannel openSocketChannel(ProtocolFamily family, RouteHints hints) throws IOException {
        RouteHints h = hints == null ? RouteHints.none() : hints;
        checkOpen(family, h);
        return new RoutedSocketChannel(provider, this, family, h, router.callerIfNeeded());
    }

    @Override
    public ServerSocketChannel openServerSocketChannel(ProtocolFamily family, RouteHints hints) throws IOException {
        RouteHints h = hints == null ? RouteHints.none() : hints;
        checkOpen(family, h);
        return new RoutedServerSocketChannel(provider, this, family, h, router.callerIfNeeded());
    }

    @Override
    public DatagramChannel openDatagramChannel(ProtocolFamily family, RouteHints hints) throws IOException {
        RouteHints h = hints == null ? RouteHints.none() : hints;
        checkOpen(family, h);
        return new RoutedDatagramChannel(provider, this, family, h, router.callerIfNeeded());
    }

    /**
     * An unrouted asynchronous client channel in {@code group} (null: the default group), reporting
     * {@code asyncProvider} as its provider (DMM's AsynchronousChannelProvider that opened it).
     */
    public AsynchronousSocketChannel openAsynchronousSocketChannel(AsynchronousChannelProvider asyncProvider,
            AsynchronousChannelGroup group, RouteHints hints) {
        RouteHints h = hints == null ? RouteHints.none() : hints;
        checkOpen(null, h);
        return new RoutedAsynchronousSocketChannel(asyncProvider, this, group, h, router.callerIfNeeded());
    }

    /** An unbound asynchronous server channel, as {@link #openAsynchronousSocketChannel}. */
    public AsynchronousServerSocketChannel openAsynchronousServerSocketChannel(
            AsynchronousChannelProvider asyncProvider, AsynchronousChannelGroup group, RouteHints hints) {
        RouteHints h = hints == null ? RouteHints.none() : hints;
        checkOpen(null, h);
        return new RoutedAsynchronousServerSocketChannel(asyncProvider, this, group, h, router.callerIfNeeded());
    }

    @Override
    public RouteExplanation explain(RouteQuery query) {
        return router.explain(query);
    }

    @Override
    public Optional<RouteExplanation> routeOf(Channel channel) {
        return Router.explainChannel(channel);
    }

    @Override
    public DmmStats stats() {
        List<StackStats> stacks = new ArrayList<>();
        for (StackHandle h : registry.all()) {
            stacks.add(h.stats());
        }
        return new DmmStats(stacks, router.ruleStats());
    }

    /** Stops every stack instance. Channels already open may stop working. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            registry.close();
        }
    }
}
