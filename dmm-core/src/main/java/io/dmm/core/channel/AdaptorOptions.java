package io.dmm.core.channel;

import io.dmm.jdk.net.SocketExceptions;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketOption;
import java.nio.channels.NetworkChannel;

/**
 * The option calls of a DMM socket adaptor (Socket, ServerSocket, DatagramSocket over a routed
 * channel), with the JDK adaptors' behaviour: options go to the channel and its errors come back as
 * SocketExceptions; SO_TIMEOUT is kept here, since the routed delegate may not exist yet, and handed
 * to the delegate's own adaptor at each blocking call.
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

    /** SO_TIMEOUT in milliseconds (0: none), for the adaptor's blocking calls. */
    int soTimeout() {
        return timeout;
    }

    private void checkOpen() throws SocketException {
        if (!channel.isOpen()) {
            throw new SocketException("Socket is closed");
        }
    }
}
