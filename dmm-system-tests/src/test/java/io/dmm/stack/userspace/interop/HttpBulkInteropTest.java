package io.dmm.stack.userspace.interop;

import static io.dmm.stack.userspace.interop.DpdkKernelLink.KERNEL_IP;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dmm.systemtest.host.BackgroundProcess;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * 100 MB each way between a Java client on the userspace stack and Linux programs: a download from
 * {@code python3 -m http.server} and an upload into {@code socat}, both checked by SHA-256 against
 * Linux's own {@code sha256sum} of the file, over DPDK's net_tap and over the tap driver.
 */
class HttpBulkInteropTest {
    static final long SIZE = 100L * 1000 * 1000;
    static final Duration TRANSFER = Duration.ofSeconds(60);

    @ParameterizedTest
    @EnumSource(value = PortKind.class, names = {"TAP", "TAP_DRIVER"})
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void javaClientDownloads100MegabytesFromPythonHttpServer(PortKind kind) throws Exception {
        try (DpdkKernelLink link = DpdkKernelLink.open(kind)) {
            Path www = Files.createDirectory(link.ns.scratch().resolve("www"));
            Path file = www.resolve("big.bin");
            SeededBytes.writeFile(file, 5, SIZE);
            String expected = Digests.sha256sum(link.ns, file);
            BackgroundProcess server = link.ns.spawn("python3", "-m", "http.server", "8000", "--bind", KERNEL_IP,
                    "--directory", www.toString());
            link.ns.awaitListening(8000, server);

            try (SocketChannel c = link.stack.openSocketChannel(StandardProtocolFamily.INET)) {
                c.connect(new InetSocketAddress(KERNEL_IP, 8000));
                MiniHttpClient.Response r = MiniHttpClient.get(c, KERNEL_IP + ":8000", "/big.bin");

                assertEquals(200, r.status(), () -> r + "\n" + server.snapshot().describe() + "\n" + link.counters());
                assertEquals(SIZE, r.contentLength());
                assertEquals(SIZE, r.bodyBytes());
                assertEquals(expected, r.bodySha256Hex(), "SHA-256 of the body against sha256sum of the served file");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = PortKind.class, names = {"TAP", "TAP_DRIVER"})
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void javaClientUploads100MegabytesToSocat(PortKind kind) throws Exception {
        try (DpdkKernelLink link = DpdkKernelLink.open(kind)) {
            SocatUpload.run(link, 8001, 6, SIZE, TRANSFER);
        }
    }
}
