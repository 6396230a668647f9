package io.dmm.jdk.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/** What every DMM java.net adaptor asks of its channel: the wildcard address it binds to for bind(null). */
public interface TimedNetworkChannel {
    /**
     * The wildcard address of the channel's family, which the JDK's adaptors use for bind(null) and
     * report as the local address of an unbound socket: the JDK's {@code InetSocketAddress(0)}; a
     * stack that speaks only IPv4 answers 0.0.0.0.
     */
    default InetAddress anyLocalAddress() {
        return new InetSocketAddress(0).getAddress();
    }
}
