package io.dmm.stack.userspace.channel;

import java.io.IOException;
import java.net.SocketException;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NotYetBoundException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;

/**
 * How the java.net adaptors turn channel exceptions into the ones java.net callers expect, as the
 * JDK's {@code Net.translateException}/{@code translateToSocketException} do.
 */
final class AdaptorExceptions {
    private AdaptorExceptions() {}

    /** IOExceptions pass through; channel state exceptions become SocketExceptions. Always throws. */
    static IOException translate(Exception x) throws IOException {
        if (x instanceof IOException ioe) throw ioe;
        throw toSocketException(x);
    }

    /** Everything as a SocketException (option setters and getters); runtime exceptions without a java.net form pass through. */
    static SocketException toSocketException(Exception x) {
        if (x instanceof SocketException se) return se;
        String msg;
        if (x instanceof ClosedChannelException) msg = "Socket is closed";
        else if (x instanceof NotYetConnectedException) msg = "Socket is not connected";
        else if (x instanceof AlreadyBoundException) msg = "Already bound";
        else if (x instanceof AlreadyConnectedException) msg = "Already connected";
        else if (x instanceof NotYetBoundException) msg = "Socket is not bound yet";
        else if (x instanceof UnsupportedAddressTypeException) msg = "Unsupported address type";
        else if (x instanceof UnresolvedAddressException) msg = "Unresolved address";
        else if (x instanceof IOException) msg = x.getMessage();
        else if (x instanceof RuntimeException re) throw re;
        else throw new Error("Untranslated exception", x);
        SocketException se = new SocketException(msg);
        se.initCause(x);
        return se;
    }
}
