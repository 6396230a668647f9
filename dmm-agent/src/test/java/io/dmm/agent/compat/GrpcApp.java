package io.dmm.agent.compat;

import static io.dmm.agent.compat.Compat.fact;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * gRPC-java on its shaded Netty (NIO transport: the JVM runs with the shaded Netty's noNative property),
 * unmodified: a unary echo service defined without protoc (a {@link MethodDescriptor} with a String
 * marshaller), called concurrently over one HTTP/2 connection, each reply's body checked.
 */
public final class GrpcApp {
    static final int CALLS = 64;

    static final MethodDescriptor<String, String> ECHO = MethodDescriptor.<String, String>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName("dmm.Echo", "Echo"))
            .setRequestMarshaller(new Utf8Marshaller())
            .setResponseMarshaller(new Utf8Marshaller())
            .build();

    private GrpcApp() {
    }

    public static void main(String[] args) throws Exception {
        Compat.provider();
        ServerServiceDefinition service = ServerServiceDefinition.builder("dmm.Echo")
                .addMethod(ECHO, ServerCalls.asyncUnaryCall((request, reply) -> {
                    reply.onNext("echo " + request);
                    reply.onCompleted();
                }))
                .build();
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress(Compat.LOOPBACK, 0))
                .addService(service).build().start();
        int port = ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            List<com.google.common.util.concurrent.ListenableFuture<String>> replies = new ArrayList<>();
            for (int i = 0; i < CALLS; i++) {
                replies.add(ClientCalls.futureUnaryCall(channel.newCall(ECHO,
                        CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS)), EchoRequests.payload(i % EchoRequests.POSTS)));
            }
            int ok = 0;
            for (int i = 0; i < CALLS; i++) {
                String reply = replies.get(i).get(30, TimeUnit.SECONDS);
                if (reply.equals("echo " + EchoRequests.payload(i % EchoRequests.POSTS))) {
                    ok++;
                } else {
                    fact("grpc.bad." + i, reply.length());
                }
            }
            fact("grpc.ok", ok);
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
        Compat.stats();
    }

    /** Messages as UTF-8 text: the service needs no generated code. */
    private static final class Utf8Marshaller implements MethodDescriptor.Marshaller<String> {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
