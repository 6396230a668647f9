package io.dmm.management.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dmm.api.Protocol;
import io.dmm.api.SocketInfo;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How a socket table row becomes the open-typed row JMX clients read. */
class SocketRowTest {
    @Test
    void everyFieldIsCarriedAddressesAsText() throws Exception {
        Instant opened = Instant.parse("2025-01-02T03:04:05Z");
        SocketInfo info = new SocketInfo(7, "k1", Protocol.TCP, "client",
                new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 40000),
                new InetSocketAddress(InetAddress.ofLiteral("::1"), 443), "established", 10, 20, opened, 3, "#1");
        SocketRow row = SocketRow.of(info, opened.plusMillis(1500));
        assertEquals(new SocketRow(7, "k1", "tcp", "client", "127.0.0.1:40000", "[0:0:0:0:0:0:0:1]:443", "established",
                10, 20, "2025-01-02T03:04:05Z", 1500, 3, "#1"), row);
    }

    @Test
    void absentValuesBecomeEmptyText() {
        SocketInfo info = new SocketInfo(1, "", Protocol.UDP, "datagram", null, null, "unrouted", 0, 0,
                Instant.EPOCH, 0, "");
        SocketRow row = SocketRow.of(info, Instant.EPOCH);
        assertEquals("", row.local());
        assertEquals("", row.remote());
        assertEquals("udp", row.protocol());
        assertEquals(0, row.ageMillis());
    }
}
