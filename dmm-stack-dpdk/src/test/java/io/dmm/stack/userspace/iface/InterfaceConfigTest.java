package io.dmm.stack.userspace.iface;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.stack.userspace.wire.Ipv4Address;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class InterfaceConfigTest {

    @Test
    void defaults() {
        InterfaceConfig c = InterfaceConfig.builder().address("10.0.0.1/24").build();
        assertEquals(0, c.gateway());
        assertEquals(60_000_000_000L, c.arpEntryLifetimeNanos());
        assertEquals(1_000_000_000L, c.arpRetryIntervalNanos());
        assertEquals(3, c.arpMaxRequests());
        assertEquals(16, c.pendingPerAddress());
        assertEquals(64, c.defaultTtl());
        assertTrue(c.reassembleFragments());
        assertEquals(30_000_000_000L, c.reassemblyTimeoutNanos());
    }

    @Test
    void invalidSettingsAreRefusedWithAClearMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InterfaceConfig.builder().address("10.0.0.1/24").gateway("10.0.1.1").build());
        assertTrue(e.getMessage().contains("10.0.1.1") && e.getMessage().contains("not on a local subnet"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> InterfaceConfig.builder().build());
        assertThrows(IllegalArgumentException.class,
                () -> InterfaceConfig.builder().address("10.0.0.1/24").address("10.0.0.1/16").build());
        assertThrows(IllegalArgumentException.class,
                () -> InterfaceConfig.builder().address("10.0.0.1/24").icmpErrorRate(0, 1).build());
        assertThrows(IllegalArgumentException.class,
                () -> InterfaceConfig.builder().address("10.0.0.1/24").gateway("10.0.0.1").build());
        assertThrows(IllegalArgumentException.class,
                () -> InterfaceConfig.builder().address("10.0.0.1/24").arpRetryInterval(Duration.ZERO).build());
        assertThrows(IllegalArgumentException.class,
                () -> InterfaceConfig.builder().address("10.0.0.1/24").defaultTtl(0).build());
        assertThrows(IllegalArgumentException.class, () -> Ipv4Cidr.parse("10.0.0.1/33"));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Cidr.parse("10.0.0.1"));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Cidr.parse("224.0.0.1/4"));
    }

    @Test
    void cidrArithmetic() {
        Ipv4Cidr c = Ipv4Cidr.parse("192.168.7.9/22");
        assertEquals(Ipv4Address.parse("192.168.7.255"), c.broadcast());
        assertTrue(c.contains(Ipv4Address.parse("192.168.4.1")));
        assertTrue(!c.contains(Ipv4Address.parse("192.168.8.1")));
        assertEquals(0, Ipv4Cidr.parse("10.0.0.1/31").broadcast());
        assertEquals("192.168.7.9/22", c.toString());
    }
}
