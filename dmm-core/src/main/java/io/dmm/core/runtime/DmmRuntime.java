package io.dmm.core.runtime;

import io.dmm.api.DmmControl;
import io.dmm.api.DmmStats;
import io.dmm.api.PolicyStatus;
import io.dmm.api.Protocol;
import io.dmm.api.Role;
import io.dmm.api.RouteExplanation;
import io.dmm.api.RouteHints;
import io.dmm.api.RouteQuery;
import io.dmm.api.StackStats;
import io.dmm.api.spi.AsynchronousGroup;
import io.dmm.api.spi.DmmRuntimeBinding;
import io.dmm.api.spi.StackProvider;
import io.dmm.core.config.PolicyLoader;
import io.dmm.core.policy.Policy;
import io.dmm.core.routing.ChannelOpener;
import io.dmm.core.routing.Decision;
import io.dmm.core.routing.RoutingContext;
import io.dmm.core.routing.SocketTable;
import io.dmm.core.routing.StackHandle;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.Channel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.nio.channels.spi.SelectorProvider;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A policy, running: its stack instances, the router of its current version, counters, the socket
 * table, and the routed channels it opens. The JVM-wide instance ({@link #global()}) is created on
 * first use from {@link PolicyLoader#fromSystem()}; tests build their own from a {@link Policy}.
 *
 * <p>The policy can change while the runtime runs ({@link #change}): each change builds a complete
 * new {@link Router} (one policy version) and swaps it in with one volatile write. A routing
 * decision reads the router once, so it is made by exactly one version; open channels keep the
 * stack they run on. How changes are asked for (file watch, runtime API, JMX, HTTP) is the
 * management plane's business ({@link ManagementPlane}, which {@link ManagementPlugin}s extend).
 */
public final class DmmRuntime implements DmmRuntimeBinding, RoutingContext, AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DmmRuntime.class);
    private static final Object GLOBAL_LOCK = new Object();
    private static volatile DmmRuntime global;

    private final StackRegistry registry;
    private volatile Router router;
    /** Opens this runtime's routed channels (their provider): the runtime never names the channel classes. */
    private final ChannelOpener channels;
    private final SocketTable sockets = new SocketTable();
    private final Path policyFile;
    /** Serializes policy changes; never held by routing. */
    private final Object changeLock = new Object();
    private volatile Instant appliedAt = Instant.now();
    private volatile PolicyStatus.Change lastChange;
    private final List<Consumer<PolicyStatus>> changeListeners = new CopyOnWriteArrayList<>();
    private final ManagementPlane management;
    private volatile boolean closed;

    /** Builds the policy's stacks with the providers found by ServiceLoader. */
    public DmmRuntime(Policy policy) {
        this(policy, StackRegistry.build(policy.stacks()), null, null, false);
    }

    /** Builds the policy's stacks with the given providers (tests, embedding). */
    public DmmRuntime(Policy policy, Iterable<StackProvider> providers) {
        this(policy, StackRegistry.build(policy.stacks(), providers), null, null, false);
    }

    /**
     * A runtime of the policy in {@code policyFile}, with the given providers (null: ServiceLoader's):
     * reloads read the file again, and it is watched when the policy's {@code management} section
     * says so (the default).
     */
    public static DmmRuntime fromFile(Path policyFile, Iterable<StackProvider> providers) {
        Policy policy = PolicyLoader.load(policyFile);
        StackRegistry registry = providers == null ? StackRegistry.build(policy.stacks())
                : StackRegistry.build(policy.stacks(), providers);
        return new DmmRuntime(policy, registry, null, policyFile, false);
    }

    /**
     * {@code shared}: the opener (and provider) of its channels, or null for one of its own;
     * {@code registerMBeans}: whether this is the JVM's runtime, whose MBeans go in the platform
     * MBean server.
     */
    private DmmRuntime(Policy policy, StackRegistry registry, ChannelOpener shared, Path policyFile,
                       boolean jvmWide) {
        this.registry = registry;
        this.policyFile = policyFile;
        try {
            this.router = new Router(Objects.requireNonNull(policy, "policy"), registry);
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
        this.channels = shared != null ? shared : ChannelFactory.INSTANCE.create(this);
        this.management = new ManagementPlane(this, jvmWide);
        try {
            management.start(policy.management());
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
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
                    ChannelOpener shared = systemProvider(); // first: nothing to undo if it throws
                    Path file = PolicyLoader.configuredFile();
                    Policy policy = PolicyLoader.fromSystem();
                    r = global = new DmmRuntime(policy, StackRegistry.build(policy.stacks()), shared, file, true);
                }
            }
        }
        return r;
    }

    /**
     * DMM's system-wide provider (a channel opener) when it is installed, so that the JVM-wide runtime's channels
     * report the very object {@code SelectorProvider.provider()} returns; else null. Asking is
     * safe here: DmmSelectorProvider's constructor never reaches this method, and a thread that
     * gets here while creating the system provider gets null from {@code provider()}.
     */
    private static ChannelOpener systemProvider() {
        return SelectorProvider.provider() instanceof ChannelOpener dmm ? dmm : null;
    }

    /** How runtimes make the opener of their channels: dmm-core's routed channel provider, found once. */
    private static final class ChannelFactory {
        static final ChannelOpener.Factory INSTANCE = ServiceLoader.load(ChannelOpener.Factory.class,
                DmmRuntime.class.getClassLoader()).findFirst().orElseThrow(() -> new IllegalStateException(
                "no " + ChannelOpener.Factory.class.getName() + " service: dmm-core's channel package is missing"));
    }

    /** The router of the running policy version. Read it once per decision. */
    public Router router() {
        return router;
    }

    public StackRegistry registry() {
        return registry;
    }

    /** The open routed sockets. */
    @Override
    public SocketTable sockets() {
        return sockets;
    }

    /** The file reloads read, or null. */
    public Path policyFile() {
        return policyFile;
    }

    /** The management plane: runtime API, policy file watch, MBeans, endpoints. */
    public ManagementPlane management() {
        return management;
    }

    @Override
    public DmmControl control() {
        return management.control();
    }

    /**
     * Applies a policy change: {@code edit} turns the running policy into the next one (throwing
     * when it cannot), the stack instances the next one needs are built, its router is created
     * and the management plane prepared; only then is it swapped in. Any failure leaves everything
     * as it was (instances built for it are stopped again), is recorded as the last change and
     * rethrown.
     *
     * @param trigger what asked for the change, for the status and the log ({@code "file watch"}...)
     */
    public PolicyStatus change(String trigger, UnaryOperator<Policy> edit) {
        synchronized (changeLock) {
            if (closed) {
                throw new IllegalStateException("DMM runtime is closed");
            }
            Router current = router;
            StackRegistry.Plan plan = null;
            ManagementPlane.Transition transition = null;
            try {
                Policy next = Objects.requireNonNull(edit.apply(current.policy()), "edit returned no policy");
                plan = registry.plan(next.stacks(), next.management().stackModules());
                Router nextRouter = new Router(next, current.version() + 1, plan.stacks(), current);
                transition = management.prepare(current.policy().management(), next.management());
                router = nextRouter; // the swap: decisions from here on are made by the new version
                registry.commit(plan, nextRouter.version());
                transition.commit();
                Instant now = Instant.now();
                appliedAt = now;
                lastChange = new PolicyStatus.Change(now, trigger, true, nextRouter.version(), "");
                LOG.info("DMM policy v{} applied ({}), from {}: {} stacks, {} rules, default {}{}{}",
                        nextRouter.version(), trigger, next.origin(), next.stacks().size(), next.rules().size(),
                        next.defaultRoute().stacks(), plan.started().isEmpty() ? "" : "; started " + plan.started(),
                        plan.removed().isEmpty() ? "" : "; retiring " + plan.removed());
            } catch (RuntimeException | Error e) {
                if (plan != null) {
                    registry.abort(plan);
                }
                lastChange = new PolicyStatus.Change(Instant.now(), trigger, false, current.version(), describe(e));
                LOG.warn("DMM policy change ({}) rejected; v{} stays in force: {}", trigger, current.version(),
                        describe(e));
                throw e;
            }
        }
        PolicyStatus status = status();
        for (Consumer<PolicyStatus> l : changeListeners) {
            try {
                l.accept(status);
            } catch (RuntimeException e) {
                LOG.warn("a policy change listener failed", e);
            }
        }
        return status;
    }

    private static String describe(Throwable e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /** Tells {@code listener} about every applied change (after it is applied), on the changing thread. */
    public void onChange(Consumer<PolicyStatus> listener) {
        changeListeners.add(listener);
    }

    /** The running version, where it came from, and the last change attempted. */
    public PolicyStatus status() {
        Router r = router;
        Policy p = r.policy();
        return new PolicyStatus(r.version(), p.origin(), policyFile == null ? null : policyFile.toString(), appliedAt,
                p.rules().size(), p.stacks().size(), lastChange);
    }

    /** The provider every channel of this runtime reports. */
    public SelectorProvider provider() {
        return channels.selectorProvider();
    }

    @Override
    public void checkOpen(ProtocolFamily family, RouteHints hints) {
        if (closed) {
            throw new IllegalStateException("DMM runtime is closed");
        }
        if (family != null && family != StandardProtocolFamily.INET && family != StandardProtocolFamily.INET6) {
            throw new UnsupportedOperationException("Protocol family not supported by DMM: " + family);
        }
        router.checkHints(hints);
    }

    @Override
    public String callerIfNeeded() {
        return router.callerIfNeeded();
    }

    @Override
    public Decision decide(Protocol protocol, Role role, InetSocketAddress service, InetAddress source,
                           RouteHints hints, String caller) {
        return router.decide(protocol, role, service, source, hints, caller);
    }

    @Override
    public long policyVersion() {
        return router.version();
    }

    @Override
    public List<StackHandle> defaultRouteStacks() {
        List<StackHandle> stacks = new ArrayList<>();
        for (String name : router.policy().defaultRoute().stacks()) {
            StackHandle h = registry.get(name);
            if (h != null) {
                stacks.add(h);
            }
        }
        return stacks;
    }

    @Override
    public List<StackHandle> stacks() {
        return registry.all();
    }

    @Override
    public SocketChannel openSocketChannel(ProtocolFamily family, RouteHints hints) throws IOException {
        return channels.openSocketChannel(family, hints);
    }

    @Override
    public ServerSocketChannel openServerSocketChannel(ProtocolFamily family, RouteHints hints) throws IOException {
        return channels.openServerSocketChannel(family, hints);
    }

    @Override
    public DatagramChannel openDatagramChannel(ProtocolFamily family, RouteHints hints) throws IOException {
        return channels.openDatagramChannel(family, hints);
    }

    /**
     * An unrouted asynchronous client channel in {@code group} (null: the default group), reporting
     * {@code asyncProvider} as its provider (DMM's AsynchronousChannelProvider that opened it).
     */
    public AsynchronousSocketChannel openAsynchronousSocketChannel(AsynchronousChannelProvider asyncProvider,
            AsynchronousGroup group, RouteHints hints) {
        return channels.openAsynchronousSocketChannel(asyncProvider, group, hints);
    }

    /** An unbound asynchronous server channel, as {@link #openAsynchronousSocketChannel}. */
    public AsynchronousServerSocketChannel openAsynchronousServerSocketChannel(
            AsynchronousChannelProvider asyncProvider, AsynchronousGroup group, RouteHints hints) {
        return channels.openAsynchronousServerSocketChannel(asyncProvider, group, hints);
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
        Router r = router;
        List<StackStats> stacks = new ArrayList<>();
        for (StackHandle h : registry.all()) {
            stacks.add(h.stats());
        }
        for (StackHandle h : registry.retiring()) {
            stacks.add(h.stats());
        }
        return new DmmStats(stacks, r.ruleStats(), r.version());
    }

    /** Stops the management plane and every stack instance. Channels already open may stop working. Idempotent. */
    @Override
    public void close() {
        synchronized (changeLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        management.close();
        registry.close();
    }
}
