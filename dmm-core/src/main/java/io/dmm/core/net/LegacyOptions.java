package io.dmm.core.net;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketOptions;
import java.net.UnknownHostException;
import java.net.StandardSocketOptions;
import java.net.SocketOption;
import java.nio.channels.NetworkChannel;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

/** Value checks of the legacy int-keyed options (SocketOptions), with NioSocketImpl's messages. */
final class LegacyOptions {
    private LegacyOptions() {
    }

    static int intValue(Object value, String desc) throws SocketException {
        if (!(value instanceof Integer i)) {
            throw new SocketException("Bad value for " + desc);
        }
        return i;
    }

    static boolean booleanValue(Object value, String desc) throws SocketException {
        if (!(value instanceof Boolean b)) {
            throw new SocketException("Bad value for " + desc);
        }
        return b;
    }

    /** Buffer sizes: NioSocketImpl refuses 0 and negatives with "X <= 0". */
    static int positive(Object value, String desc) throws SocketException {
        int i = intValue(value, desc);
        if (i <= 0) {
            throw new SocketException(desc + " <= 0");
        }
        return i;
    }

    /**
     * A Socket's options from its channel's: a SocketChannel also lists the JDK-internal
     * SO_OOBINLINE option, which java.net.Socket offers only through setOOBInline.
     */
    static Set<SocketOption<?>> socketOptions(Set<SocketOption<?>> channelOptions) {
        Set<SocketOption<?>> s = new HashSet<>(channelOptions);
        s.removeIf(o -> o.name().equals("SO_OOBINLINE"));
        return Collections.unmodifiableSet(s);
    }

    /**
     * A ServerSocket's options from its channel's: NioSocketImpl also offers IP_TOS on server
     * sockets, "to maintain compatibility", which a ServerSocketChannel does not.
     */
    static Set<SocketOption<?>> serverSocketOptions(Set<SocketOption<?>> channelOptions) {
        Set<SocketOption<?>> s = new HashSet<>(channelOptions);
        s.add(StandardSocketOptions.IP_TOS);
        return Collections.unmodifiableSet(s);
    }

    /**
     * The address without a host name, as the kernel reports a bound address (NioSocketImpl asks
     * it). A client's deferred bind still holds the InetAddress the program passed, name and all.
     */
    static InetAddress numeric(InetAddress a) throws SocketException {
        try {
            if (a instanceof Inet6Address v6 && v6.getScopeId() != 0) {
                return Inet6Address.getByAddress(null, v6.getAddress(), v6.getScopeId());
            }
            return InetAddress.getByAddress(a.getAddress());
        } catch (UnknownHostException e) {
            throw new SocketException(e.getMessage(), e); // not reached: the bytes come from an InetAddress
        }
    }

    /**
     * Sets a legacy option through a Socket's setters (Socket.setSoLinger's encoding for SO_LINGER:
     * FALSE disables, an Integer enables).
     */
    static void apply(Socket a, int opt, Object value) throws SocketException {
        switch (opt) {
            case SocketOptions.SO_LINGER -> {
                if (value instanceof Boolean b && !b) {
                    a.setSoLinger(false, 0);
                } else {
                    a.setSoLinger(true, intValue(value, "SO_LINGER"));
                }
            }
            case SocketOptions.SO_TIMEOUT -> a.setSoTimeout(intValue(value, "SO_TIMEOUT"));
            case SocketOptions.IP_TOS -> a.setTrafficClass(intValue(value, "IP_TOS"));
            case SocketOptions.TCP_NODELAY -> a.setTcpNoDelay(booleanValue(value, "TCP_NODELAY"));
            case SocketOptions.SO_SNDBUF -> a.setSendBufferSize(positive(value, "SO_SNDBUF"));
            case SocketOptions.SO_RCVBUF -> a.setReceiveBufferSize(positive(value, "SO_RCVBUF"));
            case SocketOptions.SO_KEEPALIVE -> a.setKeepAlive(booleanValue(value, "SO_KEEPALIVE"));
            case SocketOptions.SO_REUSEADDR -> a.setReuseAddress(booleanValue(value, "SO_REUSEADDR"));
            case SocketOptions.SO_OOBINLINE -> a.setOOBInline(booleanValue(value, "SO_OOBINLINE"));
            case SocketOptions.SO_REUSEPORT -> {
                try {
                    a.setOption(StandardSocketOptions.SO_REUSEPORT, booleanValue(value, "SO_REUSEPORT"));
                } catch (SocketException e) {
                    throw e;
                } catch (IOException | UnsupportedOperationException e) {
                    throw new SocketException("SO_REUSEPORT not supported");
                }
            }
            default -> throw new SocketException("Unknown option " + opt);
        }
    }

    static Object getReusePort(Socket a) throws SocketException {
        try {
            return a.getOption(StandardSocketOptions.SO_REUSEPORT);
        } catch (SocketException e) {
            throw e;
        } catch (IOException | UnsupportedOperationException e) {
            throw new SocketException("SO_REUSEPORT not supported");
        }
    }

    static void setReusePort(NetworkChannel ch, Object value) throws SocketException {
        if (!ch.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
            throw new SocketException("SO_REUSEPORT not supported");
        }
        try {
            ch.setOption(StandardSocketOptions.SO_REUSEPORT, booleanValue(value, "SO_REUSEPORT"));
        } catch (IOException e) {
            throw SocketErrors.asSocketException(e);
        }
    }

    static Object getReusePort(NetworkChannel ch) throws SocketException {
        if (!ch.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
            throw new SocketException("SO_REUSEPORT not supported");
        }
        try {
            return ch.getOption(StandardSocketOptions.SO_REUSEPORT);
        } catch (IOException e) {
            throw SocketErrors.asSocketException(e);
        }
    }
}
