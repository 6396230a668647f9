package io.dmm.api.spi;

import io.dmm.api.Protocol;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ProtocolFamily;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.Set;

/**
 * One running network stack, e.g. the kernel with a set of default socket options, or one
 * userspace TCP/IP stack on one device. DMM's routed channels delegate to the channels an instance
 * opens: those must behave as the JDK's (blocking and non-blocking modes, timeouts, close,
 * interrupts). For DMM's Selector, a stack's channels are either the JDK's own platform channels
 * (stacks with file descriptors: DMM registers them with a JDK selector of its own) or implement
 * {@link ReadinessSource} (stacks without: they tell DMM when their readiness changes).
 */
public interface StackInstance extends AutoCloseable {
    /** The instance name from the policy. */
    String name();

    /** The stack type (its provider's {@link StackProvider#type()}). */
    String type();

    /**
     * Whether this instance can carry {@code protocol} over {@code family}
     * ({@link java.net.StandardProtocolFamily#INET} or {@code INET6}). DMM asks for the family the
     * socket's traffic travels over: a dual-stack socket (a channel of family INET6, or of none
     * where the JDK has IPv6) to or on an IPv4 address travels over INET, as Linux carries an INET6
     * socket's IPv4-mapped traffic; one on the IPv6 wildcard over either. So a stack that supports
     * INET is also given such sockets: its {@code open...Channel(INET6)} (and {@code (null)}) must
     * then give a dual-stack channel that takes IPv4 addresses and reports them as the JDK's does.
     */
    boolean supports(Protocol protocol, ProtocolFamily family);

    /** Current health; DOWN instances are skipped when a rule lists fallbacks. */
    StackHealth health();

    /**
     * Why the instance is not {@link StackHealth#UP}, in one line for logs and error messages (what
     * is missing and how to fix it), or "" when it is UP.
     */
    default String healthDetail() {
        return "";
    }

    /**
     * What this instance can do beyond opening the channels every stack opens (see
     * {@link StackCapability}). DMM asks this, never the type name, e.g. to decide whether
     * listeners of several instances on one port need SO_REUSEPORT. The default, for a stack that
     * declares nothing, is none.
     */
    default Set<StackCapability> capabilities() {
        return Set.of();
    }

    /**
     * A new, unbound, unconnected TCP client channel, in blocking mode, with the instance's default
     * options applied. {@code family} null means the stack's default (dual-stack where possible).
     */
    SocketChannel openSocketChannel(ProtocolFamily family) throws IOException;

    /** A new, unbound TCP server channel (blocking mode, default options applied). */
    ServerSocketChannel openServerSocketChannel(ProtocolFamily family) throws IOException;

    /** A new, unbound UDP channel (blocking mode, default options applied). */
    DatagramChannel openDatagramChannel(ProtocolFamily family) throws IOException;

    /**
     * A new, unbound UDP channel for a {@code java.net.DatagramSocket} rather than for a
     * DatagramChannel. They differ in one way: interrupting a thread blocked in the legacy socket's
     * receive does not close it (a platform thread stays blocked, its interrupt status set), where
     * a DatagramChannel is closed. A stack that can open such a channel returns it here; by default
     * the ordinary channel.
     */
    default DatagramChannel openDatagramSocketChannel(ProtocolFamily family) throws IOException {
        return openDatagramChannel(family);
    }

    /**
     * A new, unbound, unconnected asynchronous TCP client channel in {@code group} (never null: DMM
     * hands the default group too), with the instance's default options applied. A stack of file
     * descriptors opens the platform's channel in {@link AsynchronousGroup#platform()}; any other
     * runs its completion handlers on the group's threads ({@link AsynchronousGroup}).
     *
     * <p>Optional: the default throws UnsupportedOperationException, and DMM then treats the stack
     * like one that failed to open a channel (a route's next stack is tried).
     */
    default AsynchronousSocketChannel openAsynchronousSocketChannel(AsynchronousGroup group)
            throws IOException {
        throw new UnsupportedOperationException("stack " + name() + " has no asynchronous channels");
    }

    /** A new, unbound asynchronous TCP server channel in {@code group}; optional as above. */
    default AsynchronousServerSocketChannel openAsynchronousServerSocketChannel(AsynchronousGroup group)
            throws IOException {
        throw new UnsupportedOperationException("stack " + name() + " has no asynchronous channels");
    }

    /**
     * The address client sockets of this instance bind to before they connect when the program
     * did not bind them itself, or null. Applied only when it is of the destination's family.
     */
    InetAddress sourceAddress();

    /** Counters the stack keeps itself (names of its choosing); empty if none. */
    Map<String, Long> counters();

    /** Stops the instance. Channels it opened may be closed by this. Idempotent. */
    @Override
    void close();
}
