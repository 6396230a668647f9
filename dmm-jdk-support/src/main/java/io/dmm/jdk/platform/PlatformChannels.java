package io.dmm.jdk.platform;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.ProtocolFamily;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.nio.channels.spi.SelectorProvider;

/**
 * The one place that opens the JDK's own (kernel) channels.
 *
 * <p>Once DMM is the system-wide SelectorProvider ({@code -javaagent:dmm-agent.jar} or
 * {@code -Djava.nio.channels.spi.SelectorProvider=io.dmm.core.DmmSelectorProvider}),
 * {@link SelectorProvider#provider()} returns DMM's provider: the kernel stack would open routed
 * channels and recurse. So the platform provider is taken from
 * {@code sun.nio.ch.DefaultSelectorProvider.get()} whenever java.base exports {@code sun.nio.ch}
 * to this class (the agent exports it with {@code Instrumentation.redefineModule}; without the
 * agent the user passes {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED}). Only when it is
 * not exported and the system provider is not DMM's is {@code provider()} used: then it is the
 * platform's (or whatever the program installed) and there is nothing to recurse into.
 */
public final class PlatformChannels {
    /** The flag a user adds when DMM is the system provider without the agent. */
    public static final String ADD_EXPORTS_FLAG = "--add-exports java.base/sun.nio.ch=ALL-UNNAMED";

    private static final String DEFAULT_PROVIDER_CLASS = "sun.nio.ch.DefaultSelectorProvider";
    private static final String DEFAULT_ASYNC_PROVIDER_CLASS = "sun.nio.ch.DefaultAsynchronousChannelProvider";
    private static final String NIO_IMPL_PACKAGE = "sun.nio.ch";
    private static final String UNINTERRUPTIBLE_DATAGRAM_METHOD = "openUninterruptibleDatagramChannel";

    /** Cached: found once, never changes (the system provider is itself fixed once chosen). */
    private static volatile SelectorProvider platform;
    /** Cached likewise: the platform's AsynchronousChannelProvider. */
    private static volatile AsynchronousChannelProvider platformAsync;

    private PlatformChannels() {
    }

    /**
     * The JDK's selector provider (see the class comment for why this is not just
     * {@code provider()}).
     *
     * @throws IllegalStateException when DMM is the system provider and {@code sun.nio.ch} is not
     *         exported to DMM, naming the flag that fixes it; or when called while the system
     *         provider is still being created
     */
    public static SelectorProvider provider() {
        SelectorProvider p = platform;
        if (p == null) {
            synchronized (PlatformChannels.class) {
                p = platform;
                if (p == null) {
                    p = platform = find();
                }
            }
        }
        return p;
    }

    private static SelectorProvider find() {
        if (defaultProviderExported()) {
            return defaultProvider();
        }
        SelectorProvider system = SelectorProvider.provider();
        if (system == null) {
            // SelectorProvider.provider() returns null to the thread that is creating it
            throw new IllegalStateException("DMM: the platform SelectorProvider was asked for while the system"
                    + " SelectorProvider is being created (a provider's constructor must not open channels)");
        }
        if (isDmm(system)) {
            throw new IllegalStateException("DMM is the system SelectorProvider (" + system.getClass().getName()
                    + ") but java.base does not export sun.nio.ch to DMM, so the kernel stack cannot reach the"
                    + " JDK's own provider. Add " + ADD_EXPORTS_FLAG + " to the java command line (or use"
                    + " -javaagent:dmm-agent.jar, which exports it itself)");
        }
        return system;
    }

    /** True if java.base exports sun.nio.ch to this class's module (agent, or --add-exports). */
    static boolean defaultProviderExported() {
        return Object.class.getModule().isExported(NIO_IMPL_PACKAGE, PlatformChannels.class.getModule());
    }

    private static SelectorProvider defaultProvider() {
        try {
            return (SelectorProvider) Class.forName(DEFAULT_PROVIDER_CLASS).getMethod("get").invoke(null);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("DMM: " + DEFAULT_PROVIDER_CLASS + ".get() failed", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("DMM: cannot reach the JDK's " + DEFAULT_PROVIDER_CLASS
                    + " although sun.nio.ch is exported: " + e, e);
        }
    }

    /** DMM's providers all live under io.dmm; the kernel stack cannot name dmm-core's class. */
    static boolean isDmm(SelectorProvider p) {
        return p.getClass().getName().startsWith("io.dmm.");
    }

    public static SocketChannel openSocketChannel(ProtocolFamily family) throws IOException {
        return family == null ? provider().openSocketChannel() : provider().openSocketChannel(family);
    }

    public static ServerSocketChannel openServerSocketChannel(ProtocolFamily family) throws IOException {
        return family == null ? provider().openServerSocketChannel() : provider().openServerSocketChannel(family);
    }

    public static DatagramChannel openDatagramChannel(ProtocolFamily family) throws IOException {
        return family == null ? provider().openDatagramChannel() : provider().openDatagramChannel(family);
    }

    /**
     * The channel the JDK gives {@code new DatagramSocket()}: its provider's
     * {@code openUninterruptibleDatagramChannel()}, whose blocking receive an interrupt does not
     * close (a platform thread stays blocked; a virtual thread's socket closes, as the JDK's
     * adaptor decides). Reached by reflection on the JDK's provider, so only where sun.nio.ch is
     * exported to DMM; elsewhere, or should the JDK drop the method, the ordinary channel.
     */
    public static DatagramChannel openUninterruptibleDatagramChannel() throws IOException {
        SelectorProvider p = provider();
        Method open = uninterruptibleOpen(p);
        if (open == null) {
            return openDatagramChannel(null);
        }
        try {
            return (DatagramChannel) open.invoke(p);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException("DMM: " + open + " failed", e.getCause());
        } catch (IllegalAccessException e) {
            return openDatagramChannel(null);
        }
    }

    private static Method uninterruptibleOpen(SelectorProvider p) {
        if (!defaultProviderExported()) {
            return null;
        }
        try {
            return p.getClass().getMethod(UNINTERRUPTIBLE_DATAGRAM_METHOD);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    /**
     * The JDK's asynchronous channel provider, found as {@link #provider()} is and for the same
     * reason: with DMM as the system AsynchronousChannelProvider, {@code provider()} would recurse.
     * Its groups and channels are the platform's (one instance for the JVM: the platform's default
     * group belongs to it).
     *
     * @throws IllegalStateException when DMM is the system provider and sun.nio.ch is not exported
     */
    public static AsynchronousChannelProvider asyncProvider() {
        AsynchronousChannelProvider p = platformAsync;
        if (p == null) {
            synchronized (PlatformChannels.class) {
                p = platformAsync;
                if (p == null) {
                    p = platformAsync = findAsync();
                }
            }
        }
        return p;
    }

    private static AsynchronousChannelProvider findAsync() {
        if (defaultProviderExported()) {
            try {
                return (AsynchronousChannelProvider) Class.forName(DEFAULT_ASYNC_PROVIDER_CLASS)
                        .getMethod("create").invoke(null);
            } catch (InvocationTargetException e) {
                throw new IllegalStateException("DMM: " + DEFAULT_ASYNC_PROVIDER_CLASS + ".create() failed",
                        e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("DMM: cannot reach the JDK's " + DEFAULT_ASYNC_PROVIDER_CLASS
                        + " although sun.nio.ch is exported: " + e, e);
            }
        }
        AsynchronousChannelProvider system = AsynchronousChannelProvider.provider();
        if (system.getClass().getName().startsWith("io.dmm.")) {
            throw new IllegalStateException("DMM is the system AsynchronousChannelProvider ("
                    + system.getClass().getName() + ") but java.base does not export sun.nio.ch to DMM, so the"
                    + " kernel stack cannot reach the JDK's own provider. Add " + ADD_EXPORTS_FLAG
                    + " to the java command line (or use -javaagent:dmm-agent.jar, which exports it itself)");
        }
        return system;
    }

    public static AsynchronousSocketChannel openAsynchronousSocketChannel(AsynchronousChannelGroup group)
            throws IOException {
        return asyncProvider().openAsynchronousSocketChannel(group);
    }

    public static AsynchronousServerSocketChannel openAsynchronousServerSocketChannel(AsynchronousChannelGroup group)
            throws IOException {
        return asyncProvider().openAsynchronousServerSocketChannel(group);
    }
}
