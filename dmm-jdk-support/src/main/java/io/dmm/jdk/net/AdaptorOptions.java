package io.dmm.jdk.net;

import java.io.IOException;
import java.net.SocketException;
import java.net.SocketOption;
import java.nio.channels.NetworkChannel;
import java.util.concurrent.TimeUnit;

/**
 * The option calls of DMM's java.net adaptors (Socket, ServerSocket, DatagramSocket over a channel),
 * with the JDK adaptors' behaviour: options go to the channel and its IOExceptions come back as
 * SocketExceptions (runtime exceptions as they are); SO_TIMEOUT is the adaptor's own, passed to the
 * channel's timed calls.
 */
final class AdaptorOptions {
    private final NetworkChannel channel;
    private volatile int timeout;

    AdaptorOptions(NetworkChannel channel) {
        this.channel = channel;
    }

    <T> void set(SocketOption<T> name, T value) throws SocketException {
        try {
            channel.setOption(name, value);
        } catch (IOException e) {
            throw SocketExceptions.toSocketException(e);
        }
    }

    <T> T get(SocketOption<T> name) throws SocketException {
        try {
            return channel.getOption(name);
        } catch (IOException e) {
            throw SocketExceptions.toSocketException(e);
        }
    }

    /** A buffer size setter: the adaptor refuses 0 and negatives with its own message before the channel sees them. */
    void setBufferSize(SocketOption<Integer> name, int size, String invalidMessage) throws SocketException {
        if (size <= 0) {
            throw new IllegalArgumentException(invalidMessage);
        }
        set(name, size);
    }

    void setSoTimeout(int timeout) throws SocketException {
        checkOpen();
        if (timeout < 0) {
            throw new IllegalArgumentException("timeout < 0");
        }
        this.timeout = timeout;
    }

    int getSoTimeout() throws SocketException {
        checkOpen();
        return timeout;
    }

    /** SO_TIMEOUT in nanoseconds (0: none), for the channel's timed calls. */
    long soTimeoutNanos() {
        return toNanos(timeout);
    }

    /** A timed call's bound in nanoseconds (0: none) as java.net takes it: milliseconds, rounded up. */
    static int toMillis(long nanos) {
        if (nanos <= 0) {
            return 0;
        }
        return (int) Math.min(Integer.MAX_VALUE, (nanos + 999_999) / 1_000_000);
    }

    /** A java.net timeout in milliseconds (0: none) as the channels' timed calls take it. */
    static long toNanos(int millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    private void checkOpen() throws SocketException {
        if (!channel.isOpen()) {
            throw new SocketException("Socket is closed");
        }
    }
}
