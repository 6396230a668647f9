package io.dmm.core.policy;

import static io.dmm.core.policy.Keys.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CidrTest {
    @Test
    void parsesV4AndMasksHostBits() {
        Cidr c = Cidr.parse("192.168.1.1/24");
        assertEquals("192.168.1.0/24", c.toString());
        assertTrue(c.contains(ip("192.168.1.200")));
        assertFalse(c.contains(ip("192.168.2.1")));
    }

    @Test
    void bareAddressIsAHostPrefix() {
        assertEquals(32, Cidr.parse("10.1.2.3").prefixLength());
        assertEquals(128, Cidr.parse("::1").prefixLength());
        assertTrue(Cidr.parse("10.1.2.3").contains(ip("10.1.2.3")));
        assertFalse(Cidr.parse("10.1.2.3").contains(ip("10.1.2.4")));
    }

    @Test
    void zeroPrefixMatchesItsFamilyOnly() {
        assertTrue(Cidr.parse("0.0.0.0/0").contains(ip("8.8.8.8")));
        assertFalse(Cidr.parse("0.0.0.0/0").contains(ip("2001:db8::1")));
        assertTrue(Cidr.parse("::/0").contains(ip("2001:db8::1")));
        assertFalse(Cidr.parse("::/0").contains(ip("8.8.8.8")));
    }

    @Test
    void v6Prefixes() {
        Cidr c = Cidr.parse("2001:db8::/32");
        assertTrue(c.contains(ip("2001:db8:ffff::1")));
        assertFalse(c.contains(ip("2001:db9::1")));
        Cidr deep = Cidr.parse("2001:db8::1:0/112");
        assertTrue(deep.contains(ip("2001:db8::1:ffff")));
        assertFalse(deep.contains(ip("2001:db8::2:0")));
    }

    @Test
    void v4MappedAddressesMatchV4Prefixes() throws Exception {
        assertTrue(Cidr.parse("10.0.0.0/8").contains(Keys.mappedV6("10.9.8.7")));
        Cidr mapped = Cidr.parse("::ffff:10.0.0.0/104");
        assertTrue(mapped.isV4());
        assertEquals("10.0.0.0/8", mapped.toString());
    }

    @Test
    void rejectsBadInput() {
        assertEquals("prefix length must be 0..32",
                assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0/33")).getMessage());
        assertEquals("prefix length must be 0..128",
                assertThrows(IllegalArgumentException.class, () -> Cidr.parse("::/129")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0/8"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.256"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("localhost"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0/"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("2001:db8::g/32"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("fe80::1%eth0"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("::ffff:10.0.0.0/64"));
    }
}
