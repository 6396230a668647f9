package io.dmm.stack.userspace.dpdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.stack.userspace.config.DeviceSpec;
import io.dmm.stack.userspace.config.DpdkSpec;
import io.dmm.stack.userspace.phy.DeviceListener;
import io.dmm.stack.userspace.phy.RxHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A DPDK device's probe over a net_ring link: a link that goes down and up is reported as it
 * changes (and not again while it stays so), a port that goes away is reported once, after which
 * the device receives and sends nothing, and it still closes.
 */
@Timeout(60)
class DpdkDeviceHealthTest {
    private static final AtomicInteger LINKS = new AtomicInteger();

    private static DeviceSpec ringEnd(String link) {
        return new DeviceSpec(DeviceSpec.DPDK, 1500, 0, 0, link, null, null,
                new DpdkSpec(null, link, 1, 512, 512, 1023, true, null));
    }

    /** What the device reported, in order. */
    private static final class Heard implements DeviceListener {
        final List<String> events = new ArrayList<>();

        @Override
        public void deviceFailed(String reason) {
            events.add("failed: " + reason);
        }

        @Override
        public void linkChanged(boolean up, String detail) {
            events.add(up ? "up" : "down: " + detail);
        }
    }

    private static final RxHandler IGNORE = (memory, offset, length, verified) -> { };

    @Test
    void aLinkThatGoesDownAndUpIsReportedAsItChanges() {
        String link = "dh" + LINKS.incrementAndGet();
        try (DpdkDevice a = (DpdkDevice) DpdkDevices.open("dh-a", ringEnd(link));
             DpdkDevice b = (DpdkDevice) DpdkDevices.open("dh-b", ringEnd(link))) {
            Heard heard = new Heard();
            a.setListener(heard);
            a.probe();
            assertEquals(List.of(), heard.events, "a working port with its link up says nothing");

            assertEquals(0, a.port().setLink(false));
            a.probe();
            a.probe();

            assertEquals(List.of("down: the link of " + a.port() + " is down (no carrier)"), heard.events);
            assertEquals(0, a.port().setLink(true));
            a.probe();
            assertEquals(2, heard.events.size());
            assertEquals("up", heard.events.get(1));
            assertFalse(a.failed());
        }
    }

    @Test
    void aPortThatGoesAwayIsReportedOnceAndTheDeviceStopsUsingIt() {
        String link = "dg" + LINKS.incrementAndGet();
        DpdkDevice a = (DpdkDevice) DpdkDevices.open("dg-a", ringEnd(link));
        try (DpdkDevice b = (DpdkDevice) DpdkDevices.open("dg-b", ringEnd(link))) {
            Heard heard = new Heard();
            a.setListener(heard);
            // the ethdev goes behind the device's back, as a hot-unplugged NIC's does
            DpdkShim.portClose(a.port().id, 0);

            a.probe();
            a.probe();

            assertEquals(List.of("failed: " + a.port() + " went away: the device was removed (its ethdev is gone)"),
                    heard.events);
            assertTrue(a.failed());
            assertEquals(-1, a.txAcquire(), "nothing is sent on a port that went away");
            assertEquals(0, a.receive(IGNORE, 32));
            a.txFlush();
            assertTrue(a.counters().containsKey("tx_frames"));
        } finally {
            a.close();
            a.close();
        }
        assertFalse(a.failed(), "closed, no longer failed");
    }
}
