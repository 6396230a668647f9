package io.dmm.agent.compat;

import static io.dmm.agent.compat.Compat.fact;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Netty 4.2's NIO transport, unmodified, under the agent: an echo server and as many clients as the
 * argument says ({@link #CONNECTIONS} where the open-files limit allows it) connected at once, each
 * sending its own message and checking that exactly it comes back.
 */
public final class NettyEchoApp {
    static final int CONNECTIONS = 1000;
    static final int MESSAGE = 512;

    private NettyEchoApp() {
    }

    public static void main(String[] args) throws Exception {
        Compat.provider();
        int connections = Integer.parseInt(args[0]);
        fact("netty.noNative", System.getProperty("io.netty.transport.noNative"));
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        EventLoopGroup clients = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try {
            Channel server = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                                @Override
                                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                    ctx.write(msg);
                                }

                                @Override
                                public void channelReadComplete(ChannelHandlerContext ctx) {
                                    ctx.flush();
                                }
                            });
                        }
                    }).bind(Compat.LOOPBACK, 0).sync().channel();
            fact("netty.server.channel", server.getClass().getSimpleName());
            long start = System.nanoTime();
            Bootstrap client = new Bootstrap().group(clients).channel(NioSocketChannel.class)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 20_000);
            List<CompletableFuture<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                results.add(echo(client, server, i));
            }
            int intact = 0;
            int failed = 0;
            for (CompletableFuture<Boolean> r : results) {
                try {
                    if (r.get(40, TimeUnit.SECONDS)) {
                        intact++;
                    }
                } catch (Exception e) {
                    if (failed++ == 0) {
                        e.printStackTrace();
                    }
                }
            }
            fact("netty.echo.ms", (System.nanoTime() - start) / 1_000_000);
            fact("netty.echo.intact", intact);
            fact("netty.echo.failed", failed);
            server.close().sync();
        } finally {
            NettyLoops.shutdown(clients, workers, boss);
        }
        Compat.stats();
    }

    /** Connects, sends a message unique to {@code n}, completes with whether the echo was exactly it. */
    private static CompletableFuture<Boolean> echo(Bootstrap client, Channel server, int n) {
        byte[] message = new byte[MESSAGE];
        byte[] tag = ("connection-" + n + ":").getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < MESSAGE; i++) {
            message[i] = i < tag.length ? tag[i] : (byte) ('a' + (n + i) % 26);
        }
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        client.clone().handler(new ChannelInboundHandlerAdapter() {
            private ByteBuf received;

            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                received = ctx.alloc().buffer(MESSAGE);
                ctx.writeAndFlush(Unpooled.wrappedBuffer(message));
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf in = (ByteBuf) msg;
                try {
                    received.writeBytes(in);
                } finally {
                    in.release();
                }
                if (received.readableBytes() >= MESSAGE) {
                    result.complete(received.readableBytes() == MESSAGE
                            && ByteBufUtil.equals(received, Unpooled.wrappedBuffer(message)));
                    ctx.close();
                }
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                if (received != null) {
                    received.release();
                    received = null;
                }
                result.completeExceptionally(new IllegalStateException("connection " + n + " closed early"));
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                result.completeExceptionally(cause);
                ctx.close();
            }
        }).connect(server.localAddress()).addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(f.cause());
            }
        });
        return result;
    }
}
