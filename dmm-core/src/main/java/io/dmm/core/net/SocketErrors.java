package io.dmm.core.net;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;

/**
 * Turns the errors of DMM's routed channels (and their socket adaptors) into what the JDK 25
 * platform SocketImpl (sun.nio.ch.NioSocketImpl) throws, so code written against java.net sockets
 * sees the same exceptions with DMM's factories installed.
 *
 * <p>Interrupts: on a virtual thread NioSocketImpl throws InterruptedIOException, which
 * java.net.Socket's stream wrappers and ServerSocket.accept turn into a closed Socket and
 * SocketException("Closed by interrupt") with the interrupt status kept. So for a virtual thread
 * this throws an InterruptedIOException and lets the JDK's own wrapper do the rest (the Socket
 * then also reports isClosed()). A platform thread blocked in NioSocketImpl is not interruptible at
 * all, while DMM's delegate channels are (they must be: they are JDK channels): the closest answer
 * is the same SocketException the JDK gives a virtual thread — socket closed, interrupt kept (the
 * java.net.Socket object itself does not learn it was closed: isClosed() stays false, while every
 * further call fails with "Socket closed"). An interrupt already pending when a platform thread
 * starts a call never reaches the channel: {@link PendingInterrupt}.
 */
final class SocketErrors {
    private SocketErrors() {
    }

    /**
     * Throws {@code e} as NioSocketImpl would throw it from a stream read/write or an accept: any
     * other IOException (e.g. "Broken pipe") becomes a SocketException, as there, "to maintain
     * compatibility"; timeouts stay SocketTimeoutExceptions.
     */
    static IOException forIo(IOException e) throws IOException {
        if (e instanceof ClosedByInterruptException) {
            if (Thread.currentThread().isVirtual()) {
                InterruptedIOException iioe = new InterruptedIOException();
                iioe.initCause(e);
                throw iioe;
            }
            throw new SocketException("Closed by interrupt", e);
        }
        IOException c = closedAsSocketException(e);
        if (c instanceof SocketException || c instanceof InterruptedIOException) {
            throw c;
        }
        throw new SocketException(c.getMessage(), c);
    }

    /** Throws {@code e} as NioSocketImpl.connect would: an interrupt is always a SocketException there. */
    static IOException forConnect(IOException e) throws IOException {
        if (e instanceof ClosedByInterruptException) {
            throw new SocketException("Closed by interrupt", e);
        }
        throw closedAsSocketException(e);
    }

    /**
     * Throws {@code e} as the JDK's DatagramSocket would: its adaptor turns a virtual thread's
     * interrupt into SocketException("Closed by interrupt") itself, and java.net.NetMulticastSocket
     * (what DatagramSocket runs on with a factory) has no wrapper that would do it for us.
     */
    static IOException forDatagram(IOException e) throws IOException {
        return forConnect(e);
    }

    /** A socket closed under a blocked call, or used after close: NioSocketImpl says "Socket closed". */
    static IOException closedAsSocketException(IOException e) {
        if (e instanceof AsynchronousCloseException || e instanceof ClosedChannelException) {
            return new SocketException("Socket closed", e);
        }
        return e;
    }

    /** Option calls declare SocketException only. */
    static SocketException asSocketException(IOException e) {
        IOException c = closedAsSocketException(e);
        return c instanceof SocketException se ? se : new SocketException(c.getMessage(), c);
    }
}
