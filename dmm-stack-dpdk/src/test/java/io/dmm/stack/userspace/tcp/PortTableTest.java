package io.dmm.stack.userspace.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.stack.userspace.wire.Ipv4Address;
import org.junit.jupiter.api.Test;

class PortTableTest {
    /** One port on more addresses than its first arrays hold (two): the arrays grow as users come. */
    @Test
    void aPortIsUsedOnManyAddresses() throws Exception {
        PortTable t = new PortTable(32768, 60999, 1);
        for (int i = 1; i <= 5; i++) assertEquals(20000, t.reserve(Ipv4Address.of(10, 0, 0, i), 20000, false));
        for (int i = 1; i <= 5; i++) assertFalse(t.available(Ipv4Address.of(10, 0, 0, i), 20000, false, false));
        for (int i = 1; i <= 5; i++) t.toLingering(Ipv4Address.of(10, 0, 0, i), 20000, false);
        for (int i = 6; i <= 8; i++) t.toLingering(Ipv4Address.of(10, 0, 0, i), 20000, false);
        assertFalse(t.available(Ipv4Address.of(10, 0, 0, 8), 20000, false, false), "in TIME_WAIT");
        assertTrue(t.available(Ipv4Address.of(10, 0, 0, 8), 20000, true, false), "SO_REUSEADDR binds over TIME_WAIT");
    }
}
