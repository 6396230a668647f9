package io.dmm.stack.userspace.channel;

import io.dmm.api.spi.BusyPoller;
import io.dmm.stack.userspace.StackLock;
import io.dmm.stack.userspace.iface.Egress;
import io.dmm.stack.userspace.iface.MulticastGroups;
import io.dmm.stack.userspace.tcp.TcpStack;
import io.dmm.stack.userspace.udp.UdpStack;
import java.io.IOException;

/**
 * What the channels of one userspace stack instance need from it. Every call on {@link #tcp()},
 * {@link #udp()} or {@link #ip()} and on the sockets they return is made holding {@link #lock()}.
 *
 * <p>An instance of several shards gives each channel one shard's access: its lock, its TCP. A TCP
 * connection lives on the shard that owns its flow ({@code tcp().shardOf}), a listener on every
 * shard ({@link #shard}), UDP and multicast on shard 0.
 */
public interface StackAccess {
    /** The instance name (for thread names and messages). */
    String name();

    StackLock lock();

    TcpStack tcp();

    UdpStack udp();

    /** The IPv4 interface: local addresses and source-address selection. */
    Egress ip();

    /** The interface's multicast groups, which datagram channels join and leave. */
    MulticastGroups multicast();

    /**
     * Throws an IOException once the instance cannot take new work: a SocketException
     * ("userspace stack user0 is down: ...", why) once its device went away, else
     * "userspace stack user0 is closed" once it has been closed.
     */
    void ensureOpen() throws IOException;

    /**
     * How long a thread about to block on a socket spins (re-checking readiness) before it parks, in
     * nanoseconds; 0 parks at once. Spinning trades CPU for latency, as Onload's spin mode does.
     */
    long spinNanos();

    /** How many shards the instance has: 1 unless it was configured with more. */
    default int shardCount() {
        return 1;
    }

    /** This shard's number, 0 .. {@link #shardCount()} - 1. */
    default int shardIndex() {
        return 0;
    }

    /** The instance's shard {@code i} (this one for {@code i == shardIndex()}). */
    default StackAccess shard(int i) {
        if (i != 0) throw new IndexOutOfBoundsException("shard " + i + " of 1");
        return this;
    }

    /**
     * How a selector's thread polls the instance's device before it sleeps, the same for every
     * channel of the instance; null when the device tells the instance of frames by itself.
     */
    default BusyPoller busyPoller() {
        return null;
    }
}
