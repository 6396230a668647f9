package io.dmm.agent.compat;

import static io.dmm.agent.compat.Compat.fact;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Netty 4.2's NIO transport with its HTTP/1.1 codec on both sides, unmodified: a server answering the
 * {@link EchoRequests} contract and {@link #CONNECTIONS} Netty clients at once, each POSTing its own body on
 * its own connection and checking the status and the body that came back.
 */
public final class NettyHttpApp {
    static final int CONNECTIONS = 32;

    private NettyHttpApp() {
    }

    public static void main(String[] args) throws Exception {
        Compat.provider();
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        EventLoopGroup clients = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try {
            Channel server = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20),
                                    new EchoHandler());
                        }
                    }).bind(Compat.LOOPBACK, 0).sync().channel();
            List<CompletableFuture<String>> replies = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                replies.add(post(clients, server, i));
            }
            int ok = 0;
            for (int i = 0; i < CONNECTIONS; i++) {
                try {
                    String reply = replies.get(i).get(30, TimeUnit.SECONDS);
                    if (reply.equals(EchoRequests.reply("POST", "n=" + i, EchoRequests.payload(i % EchoRequests.POSTS)))) {
                        ok++;
                    } else {
                        fact("netty.http.bad." + i, reply);
                    }
                } catch (Exception e) {
                    e.printStackTrace();
                }
            }
            fact("netty.http.ok", ok);
            server.close().sync();
        } finally {
            NettyLoops.shutdown(clients, workers, boss);
        }
        Compat.stats();
    }

    /** The server side: one aggregated request in, one full response out. */
    private static final class EchoHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            String query = URI.create(request.uri()).getRawQuery();
            String reply = EchoRequests.reply(request.method().name(), query,
                    request.content().toString(StandardCharsets.UTF_8));
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.copiedBuffer(reply, StandardCharsets.UTF_8));
            HttpUtil.setContentLength(response, response.content().readableBytes());
            HttpUtil.setKeepAlive(response, HttpUtil.isKeepAlive(request));
            ctx.writeAndFlush(response);
        }
    }

    /** Connects, POSTs the {@code n}th body, completes with the reply's body if the status was 200. */
    private static CompletableFuture<String> post(EventLoopGroup group, Channel server, int n) {
        CompletableFuture<String> reply = new CompletableFuture<>();
        ChannelFuture connect = new Bootstrap().group(group).channel(NioSocketChannel.class).handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20),
                        new SimpleChannelInboundHandler<FullHttpResponse>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
                                if (response.status().equals(HttpResponseStatus.OK)) {
                                    reply.complete(response.content().toString(StandardCharsets.UTF_8));
                                } else {
                                    reply.completeExceptionally(new IllegalStateException(response.status().toString()));
                                }
                                ctx.close();
                            }

                            @Override
                            public void channelInactive(ChannelHandlerContext ctx) {
                                reply.completeExceptionally(new IllegalStateException("connection " + n + " closed early"));
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                reply.completeExceptionally(cause);
                                ctx.close();
                            }
                        });
            }
        }).connect(server.localAddress());
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                reply.completeExceptionally(f.cause());
                return;
            }
            FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
                    "/post?n=" + n, Unpooled.copiedBuffer(EchoRequests.payload(n % EchoRequests.POSTS), StandardCharsets.UTF_8));
            request.headers().set(HttpHeaderNames.HOST, "127.0.0.1");
            HttpUtil.setContentLength(request, request.content().readableBytes());
            connect.channel().writeAndFlush(request);
        });
        return reply;
    }
}
