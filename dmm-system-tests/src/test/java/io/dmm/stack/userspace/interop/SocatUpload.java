package io.dmm.stack.userspace.interop;

import static io.dmm.stack.userspace.interop.DpdkKernelLink.KERNEL_IP;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dmm.systemtest.host.BackgroundProcess;
import io.dmm.systemtest.host.NetNamespace;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** An upload from a channel of the link's stack to {@code socat} in a namespace, checked with Linux's sha256sum. */
final class SocatUpload {
    private SocatUpload() {}

    /** Uploads {@code size} bytes of seed {@code seed} to a socat listening on {@code port}; fails unless all arrive intact. */
    static void run(DpdkKernelLink link, int port, long seed, long size, Duration transfer) throws Exception {
        run(link, link.ns, KERNEL_IP, port, seed, size, transfer);
    }

    /** The same to a socat in {@code peer} on its address {@code peerIp}, which the link's stack reaches through its kernel. */
    static void run(DpdkKernelLink link, NetNamespace peer, String peerIp, int port, long seed, long size, Duration transfer)
            throws Exception {
        Path received = peer.scratch().resolve("upload-" + port + ".bin");
        // -u: socket to file only; socat exits once our FIN has arrived and the file is written.
        BackgroundProcess receiver = peer.spawn("socat", "-u", "TCP-LISTEN:" + port + ",bind=" + peerIp + ",reuseaddr",
                "OPEN:" + received + ",creat,trunc");
        peer.awaitListening(port, receiver);

        String sent;
        try (SocketChannel c = link.stack.openSocketChannel(StandardProtocolFamily.INET)) {
            c.connect(new InetSocketAddress(peerIp, port));
            sent = ChannelIo.writeAll(c, new SeededBytes(seed, size));
            c.shutdownOutput();
            // socat closes its end when it has everything: our EOF then says the upload is complete.
            assertEquals(0, ChannelIo.readSmallToEof(c).length, "socat -u sends nothing");
        }

        receiver.awaitSuccess(transfer, link::counters);
        assertEquals(size, Files.size(received));
        assertEquals(sent, Digests.sha256sum(peer, received), "sha256sum of the received file against what we sent");
    }
}
