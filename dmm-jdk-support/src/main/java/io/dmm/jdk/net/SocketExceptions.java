package io.dmm.jdk.net;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.security.Security;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NotYetBoundException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;

/**
 * How a java.net socket over a channel turns the channel's exceptions into the ones java.net callers
 * expect, as the JDK's {@code sun.nio.ch.Net.translateException}/{@code translateToSocketException}
 * do: the same texts, the same fallbacks, for every stack.
 */
public final class SocketExceptions {
    /** Whether {@code jdk.includeInExceptions} asks for host info in socket exceptions; read at first use, as the JDK. */
    private static volatile Boolean hostInfo;

    private SocketExceptions() {
    }

    /**
     * {@code e} as a failed connect to {@code address} reports it on the JDK
     * ({@code jdk.internal.util.Exceptions.ioException}): unchanged, unless the system or security
     * property {@code jdk.includeInExceptions} names {@code hostInfo}; then a new exception of the
     * same class whose message ends in ": " and the address, or {@code e} itself when the class
     * takes no message.
     */
    public static IOException withHostInfo(IOException e, SocketAddress address) {
        return hostInfoIncluded() ? withHostInfo(e, address, true) : e;
    }

    static IOException withHostInfo(IOException e, SocketAddress address, boolean included) {
        if (!included || !(address instanceof InetSocketAddress isa)) {
            return e;
        }
        try {
            Constructor<? extends IOException> c = e.getClass().getConstructor(String.class);
            IOException enhanced = c.newInstance(e.getMessage() + ": " + isa);
            enhanced.setStackTrace(e.getStackTrace());
            return enhanced;
        } catch (ReflectiveOperationException | RuntimeException noMessage) {
            return e; // e.g. AsynchronousCloseException, which has no detail message
        }
    }

    private static boolean hostInfoIncluded() {
        Boolean b = hostInfo;
        if (b == null) {
            String value = System.getProperty("jdk.includeInExceptions");
            if (value == null) {
                value = Security.getProperty("jdk.includeInExceptions");
            }
            b = includes(value, "hostInfo");
            hostInfo = b;
        }
        return b;
    }

    /** Whether the comma-separated {@code value} has {@code category}, ignoring case and blanks, as the JDK reads it. */
    static boolean includes(String value, String category) {
        if (value == null) {
            return false;
        }
        for (String token : value.split(",")) {
            if (token.trim().equalsIgnoreCase(category)) {
                return true;
            }
        }
        return false;
    }

    /** Rethrows {@code x}: IOExceptions as they are, channel exceptions as the SocketException a Socket throws. */
    public static IOException translate(Exception x) throws IOException {
        if (x instanceof IOException ioe) {
            throw ioe;
        }
        throw toSocketException(x);
    }

    /**
     * {@code x} as a SocketException (what option setters and getters throw). Runtime exceptions
     * with no java.net form are thrown as they are; a checked exception that is not an IOException
     * cannot come from a channel, so it is an Error, as in the JDK.
     */
    public static SocketException toSocketException(Exception x) {
        if (x instanceof SocketException se) {
            return se;
        }
        String msg;
        if (x instanceof ClosedChannelException) {
            msg = "Socket is closed";
        } else if (x instanceof NotYetConnectedException) {
            msg = "Socket is not connected";
        } else if (x instanceof AlreadyBoundException) {
            msg = "Already bound";
        } else if (x instanceof AlreadyConnectedException) {
            msg = "Already connected";
        } else if (x instanceof NotYetBoundException) {
            msg = "Socket is not bound yet";
        } else if (x instanceof UnsupportedAddressTypeException) {
            msg = "Unsupported address type";
        } else if (x instanceof UnresolvedAddressException) {
            msg = "Unresolved address";
        } else if (x instanceof IOException) {
            msg = x.getMessage();
        } else if (x instanceof RuntimeException re) {
            throw re;
        } else {
            throw new Error("Untranslated exception", x);
        }
        SocketException se = new SocketException(msg);
        se.initCause(x);
        return se;
    }
}
