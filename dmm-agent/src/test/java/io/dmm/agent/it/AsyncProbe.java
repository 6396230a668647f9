package io.dmm.agent.it;

import io.dmm.api.DmmSockets;
import io.dmm.api.RouteExplanation;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.Channel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * An application using asynchronous channels with plain JDK calls, as NIO2 servers and async
 * drivers do: an echo with a Future-driven server and a handler-driven client in a group of its own.
 * Prints {@code key=value} facts like {@link ProbeApp}.
 */
public final class AsyncProbe {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private AsyncProbe() {
    }

    public static void main(String[] args) throws Exception {
        ProbeApp.fact("async.provider", AsynchronousChannelProvider.provider().getClass().getName());
        AsynchronousChannelGroup group = AsynchronousChannelGroup.withThreadPool(Executors.newFixedThreadPool(2));
        try (AsynchronousServerSocketChannel server = AsynchronousServerSocketChannel.open()
                .bind(new InetSocketAddress(LOOPBACK, 0));
             AsynchronousSocketChannel client = AsynchronousSocketChannel.open(group)) {
            ProbeApp.fact("async.classes", server.getClass().getSimpleName() + "," + client.getClass().getSimpleName());
            Future<AsynchronousSocketChannel> accept = server.accept();
            CompletableFuture<Void> connected = new CompletableFuture<>();
            client.connect(server.getLocalAddress(), null, new CompletionHandler<Void, Void>() {
                @Override public void completed(Void v, Void a) { connected.complete(null); }
                @Override public void failed(Throwable e, Void a) { connected.completeExceptionally(e); }
            });
            connected.get(10, TimeUnit.SECONDS);
            try (AsynchronousSocketChannel accepted = accept.get(10, TimeUnit.SECONDS)) {
                client.write(ByteBuffer.wrap("async".getBytes())).get(10, TimeUnit.SECONDS);
                ByteBuffer in = ByteBuffer.allocate(5);
                while (in.hasRemaining()) {
                    accepted.read(in).get(10, TimeUnit.SECONDS);
                }
                accepted.write(in.flip()).get(10, TimeUnit.SECONDS);
                ByteBuffer back = ByteBuffer.allocate(5);
                while (back.hasRemaining()) {
                    client.read(back).get(10, TimeUnit.SECONDS);
                }
                ProbeApp.fact("async.echo", new String(back.array()));
                ProbeApp.fact("async.server.stacks", route(server));
                ProbeApp.fact("async.accepted.stacks", route(accepted));
                ProbeApp.fact("async.client.stacks", route(client));
            }
        } finally {
            group.shutdownNow();
        }
        ProbeApp.fact("stats", DmmSockets.stats().toTable().replace('\n', '|'));
    }

    private static String route(Channel ch) {
        return DmmSockets.routeOf(ch).map(RouteExplanation::stacks).map(s -> String.join("+", s)).orElse("unrouted");
    }
}
