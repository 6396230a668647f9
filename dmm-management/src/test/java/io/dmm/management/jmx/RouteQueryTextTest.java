package io.dmm.management.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.api.Protocol;
import io.dmm.api.Role;
import io.dmm.api.RouteQuery;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** The words of {@code dmm explain} and the Policy MBean's explain, as a RouteQuery. */
class RouteQueryTextTest {
    @Test
    void protocolRoleAndService() throws Exception {
        RouteQuery q = RouteQueryText.parse("TCP", "client", "203.0.113.5:443");
        assertEquals(Protocol.TCP, q.protocol());
        assertEquals(Role.CLIENT, q.role());
        assertEquals(InetAddress.ofLiteral("203.0.113.5"), q.service().getAddress());
        assertEquals(443, q.service().getPort());
        assertNull(q.source());
        assertTrue(q.hints().isEmpty());
    }

    @Test
    void ipv6AndAnyAddress() throws Exception {
        RouteQuery v6 = RouteQueryText.parse("udp", "receiver", "[2001:db8::1]:53");
        assertEquals(InetAddress.ofLiteral("2001:db8::1"), v6.service().getAddress());
        RouteQuery any = RouteQueryText.parse("tcp", "server", "*:8080");
        assertNull(any.service().getAddress(), "any address: only the port is known");
        assertEquals(8080, any.service().getPort());
    }

    @Test
    void sourceAndHints() throws Exception {
        RouteQuery q = RouteQueryText.parse("tcp", "client", "10.0.0.1:80", "10.1.1.1", "low-latency", "t1", "k2",
                "shop", "com.example.Db");
        assertEquals(InetAddress.ofLiteral("10.1.1.1"), q.source());
        assertEquals("low-latency", q.hints().qos());
        assertEquals("t1", q.hints().tag());
        assertEquals("k2", q.hints().stack());
        assertEquals("shop", q.app());
        assertEquals("com.example.Db", q.caller());
        RouteQuery blank = RouteQueryText.parse("tcp", "client", "10.0.0.1:80", "", " ", "", "", "", "");
        assertTrue(blank.hints().isEmpty());
        assertNull(blank.app());
    }

    @Test
    void mistakesAreExplained() {
        assertEquals("protocol \"sctp\": expected tcp or udp", message("sctp", "client", "1.2.3.4:1"));
        assertEquals("role \"receiver\" is not a tcp role: expected client or server",
                message("tcp", "receiver", "1.2.3.4:1"));
        assertEquals("role \"talker\": expected sender or receiver", message("udp", "talker", "1.2.3.4:1"));
        assertEquals("address \"1.2.3.4\": expected ADDR:PORT, [IPv6]:PORT or *:PORT", message("tcp", "client", "1.2.3.4"));
        assertEquals("address \"1.2.3.4:99999\": the port must be a number from 0 to 65535",
                message("tcp", "client", "1.2.3.4:99999"));
        assertEquals("address \"example.com\" is not an IP address (DMM routes on addresses and does not resolve names)",
                message("tcp", "client", "example.com:80"));
        assertEquals("address \"2001:db8::1:80\": write an IPv6 address in brackets, [2001:db8::1]:80",
                message("tcp", "client", "2001:db8::1:80"));
    }

    private static String message(String p, String r, String s) {
        return assertThrows(IllegalArgumentException.class, () -> RouteQueryText.parse(p, r, s)).getMessage();
    }
}
