package io.dmm.management.http;

import io.dmm.jdk.platform.PlatformChannels;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listening socket of the HTTP endpoint and its accept loop. The socket is the JDK's own
 * ({@link PlatformChannels}), never a DMM-routed one, whatever the policy says about servers.
 *
 * <p>Binding ({@link #bind}) and serving ({@link #start}) are separate so that a policy change can
 * bind the new address while the old listener still serves, and start serving only once the change
 * is in force. {@link #close} stops accepting; requests already accepted finish (the request that
 * moved the endpoint gets its response from the old listener).
 */
final class HttpListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpListener.class);
    /** Connections served at once; more are answered 503 straight away. */
    static final int MAX_CONNECTIONS = 32;
    private static final int BACKLOG = 64;

    private final ServerSocketChannel channel;
    private final InetSocketAddress configured;
    private final InetSocketAddress bound;
    private final RequestHandler handler;
    private final Semaphore slots = new Semaphore(MAX_CONNECTIONS);

    private HttpListener(ServerSocketChannel channel, InetSocketAddress configured, InetSocketAddress bound,
                         RequestHandler handler) {
        this.channel = channel;
        this.configured = configured;
        this.bound = bound;
        this.handler = handler;
    }

    /**
     * Binds {@code address} (port 0: any free port) without accepting yet.
     *
     * @throws IllegalStateException when it cannot be bound (in use, not a local address...)
     */
    static HttpListener bind(InetSocketAddress address, RequestHandler handler) {
        ServerSocketChannel ch = null;
        try {
            ch = PlatformChannels.provider().openServerSocketChannel();
            ch.bind(address, BACKLOG);
            return new HttpListener(ch, address, (InetSocketAddress) ch.getLocalAddress(), handler);
        } catch (IOException | RuntimeException e) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new IllegalStateException("cannot open the HTTP endpoint on " + render(address) + ": " + e, e);
        }
    }

    /** The address the policy asked for (port 0 stays 0). */
    InetSocketAddress configured() {
        return configured;
    }

    /** The address really bound (port 0 replaced by the port the kernel chose). */
    InetSocketAddress bound() {
        return bound;
    }

    void start() {
        Thread.ofVirtual().name("dmm-http-accept-" + bound.getPort()).start(this::acceptLoop);
    }

    private void acceptLoop() {
        while (channel.isOpen()) {
            SocketChannel c;
            try {
                c = channel.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.warn("HTTP endpoint {}: accept failed: {}", render(bound), e.toString());
                pause(); // e.g. out of file descriptors: do not spin
                continue;
            }
            if (!slots.tryAcquire()) {
                refuseBusy(c);
                continue;
            }
            Thread.ofVirtual().name("dmm-http-" + bound.getPort()).start(() -> {
                try {
                    new HttpConnection(c, handler).serve();
                } finally {
                    slots.release();
                }
            });
        }
    }

    private static void refuseBusy(SocketChannel c) {
        try (c) {
            c.configureBlocking(false); // a full socket buffer must not stall the accept loop
            c.write(ByteBuffer.wrap(HttpResponse.error(503, "too many connections to the DMM HTTP endpoint")
                    .encode()));
        } catch (IOException e) {
            // the client is gone: nothing to refuse
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code http://127.0.0.1:9464}, {@code http://[::1]:9464}. */
    static String render(InetSocketAddress a) {
        String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
        return "http://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("HTTP endpoint {}: close failed", render(bound), e);
        }
    }
}
