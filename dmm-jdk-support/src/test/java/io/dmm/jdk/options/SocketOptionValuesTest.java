package io.dmm.jdk.options;

import static java.net.StandardSocketOptions.IP_MULTICAST_LOOP;
import static java.net.StandardSocketOptions.IP_MULTICAST_TTL;
import static java.net.StandardSocketOptions.IP_TOS;
import static java.net.StandardSocketOptions.SO_LINGER;
import static java.net.StandardSocketOptions.SO_RCVBUF;
import static java.net.StandardSocketOptions.SO_REUSEADDR;
import static java.net.StandardSocketOptions.SO_SNDBUF;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.SocketException;
import java.net.SocketOption;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.Test;

/**
 * The validator answers as the JDK's own channels do: each case is asked of a JDK channel and of
 * {@link SocketOptionValues}, and both must refuse with the same exception and text, or both accept
 * and hold the same value.
 */
class SocketOptionValuesTest {
    private record Case(SocketOption<?> name, Object value) {
    }

    private static final List<Case> DATAGRAM_CASES = List.of(
            new Case(IP_MULTICAST_TTL, -1), new Case(IP_MULTICAST_TTL, 256), new Case(IP_MULTICAST_TTL, 0),
            new Case(IP_MULTICAST_TTL, 255), new Case(IP_TOS, -1), new Case(IP_TOS, 256), new Case(IP_TOS, 255),
            new Case(SO_SNDBUF, -1), new Case(SO_RCVBUF, -1),
            new Case(IP_MULTICAST_LOOP, 1), new Case(SO_REUSEADDR, "yes"), new Case(IP_MULTICAST_TTL, null));

    private static final List<Case> SOCKET_CASES = List.of(
            new Case(SO_LINGER, -5), new Case(SO_LINGER, 70_000), new Case(SO_LINGER, 65_535),
            new Case(SO_LINGER, 7), new Case(SO_LINGER, 1L), new Case(SO_SNDBUF, -1), new Case(IP_TOS, 300));

    @Test
    void datagramOptionsAreCheckedAsTheJdksDatagramChannelChecksThem() throws Exception {
        for (Case c : DATAGRAM_CASES) {
            try (DatagramChannel jdk = DatagramChannel.open()) {
                compare(jdk, c);
            }
        }
    }

    @Test
    void socketOptionsAreCheckedAsTheJdksSocketChannelChecksThem() throws Exception {
        for (Case c : SOCKET_CASES) {
            try (SocketChannel jdk = SocketChannel.open()) {
                compare(jdk, c);
            }
        }
    }

    @Test
    void anOptionTheChannelDoesNotSupportIsUnsupportedAndANullNameIsAnNpe() throws Exception {
        try (SocketChannel jdk = SocketChannel.open()) {
            UnsupportedOperationException expected = assertThrows(UnsupportedOperationException.class,
                    () -> jdk.setOption(IP_MULTICAST_TTL, 1));
            UnsupportedOperationException actual = assertThrows(UnsupportedOperationException.class,
                    () -> SocketOptionValues.checkSupported(IP_MULTICAST_TTL, jdk.supportedOptions()));
            assertEquals(expected.getMessage(), actual.getMessage());
            assertThrows(NullPointerException.class,
                    () -> SocketOptionValues.checkSupported(null, jdk.supportedOptions()));
        }
    }

    /** What Linux refuses (EINVAL) and the JDK's read-only option, against a JDK channel on this Linux. */
    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void platformLimitsAreTheJdksOnLinux() throws Exception {
        List<Case> cases = List.of(new Case(ExtendedSocketOptions.TCP_KEEPIDLE, 0), new Case(ExtendedSocketOptions.TCP_KEEPIDLE, 1),
                new Case(ExtendedSocketOptions.TCP_KEEPIDLE, 32_767), new Case(ExtendedSocketOptions.TCP_KEEPIDLE, 32_768),
                new Case(ExtendedSocketOptions.TCP_KEEPINTERVAL, -1), new Case(ExtendedSocketOptions.TCP_KEEPINTERVAL, 32_767),
                new Case(ExtendedSocketOptions.TCP_KEEPINTERVAL, 32_768), new Case(ExtendedSocketOptions.TCP_KEEPCOUNT, 0),
                new Case(ExtendedSocketOptions.TCP_KEEPCOUNT, 127), new Case(ExtendedSocketOptions.TCP_KEEPCOUNT, 128),
                new Case(ExtendedSocketOptions.SO_INCOMING_NAPI_ID, 0), new Case(ExtendedSocketOptions.TCP_QUICKACK, false));
        for (Case c : cases) {
            try (SocketChannel jdk = SocketChannel.open()) {
                String expected = null;
                try {
                    jdk.setOption((SocketOption) c.name(), c.value());
                } catch (SocketException e) {
                    expected = e.toString();
                }
                String actual = null;
                try {
                    SocketOptionValues.checkPlatformLimits(c.name(), c.value());
                } catch (SocketException e) {
                    actual = e.toString();
                }
                assertEquals(expected, actual, c.toString());
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void compare(NetworkChannel jdk, Case c) throws Exception {
        Throwable expected = null;
        try {
            jdk.setOption((SocketOption) c.name(), c.value());
        } catch (IllegalArgumentException e) {
            expected = e;
        }
        Object held;
        try {
            held = SocketOptionValues.check(c.name(), c.value());
        } catch (IllegalArgumentException e) {
            assertEquals(String.valueOf(expected), String.valueOf(e), c.toString());
            return;
        }
        assertEquals(null, expected, c + " accepted, but the JDK refused it");
        assertEquals(jdk.getOption(c.name()), held, c.toString());
    }
}
