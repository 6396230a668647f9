package io.dmm.stack.userspace.config;

import static org.junit.jupiter.api.Assertions.*;

import io.dmm.api.DmmConfigException;
import io.dmm.api.spi.testing.MapStackSettings;
import io.dmm.stack.userspace.UserspaceStackProvider;
import io.dmm.stack.userspace.iface.Ipv4Cidr;
import io.dmm.stack.userspace.poll.AdaptiveIdle;
import io.dmm.stack.userspace.tcp.TcpConfig;
import io.dmm.stack.userspace.wire.Ipv4Address;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UserspaceSettingsReaderTest {
    static UserspaceConfig read(Map<String, Object> values) {
        return UserspaceSettingsReader.read(MapStackSettings.of("user0", "userspace", values));
    }

    static DmmConfigException fails(Map<String, Object> values) {
        return assertThrows(DmmConfigException.class, () -> read(values));
    }

    static Map<String, Object> loopback() {
        return Map.of("driver", "loopback");
    }

    @Test
    void minimalEntryGetsDefaults() {
        UserspaceConfig c = read(Map.of("address", "198.51.100.1/24", "device", loopback()));
        assertEquals(List.of(new Ipv4Cidr(Ipv4Address.parse("198.51.100.1"), 24)), c.addresses());
        assertEquals(0, c.gateway());
        assertEquals("loopback", c.device().driver());
        assertEquals(65_535, c.device().mtu());
        assertNull(c.device().pcap());
        assertNull(c.device().faults());
        assertEquals("adaptive", c.idle());
        assertEquals(20_000L, c.spinNanos(), "a spinner on an in-memory device only waits for another thread");
        assertEquals(AdaptiveIdle.DEFAULT_BUDGET_NANOS, c.busyPollNanos());
        assertEquals(TcpConfig.defaults().minRtoNanos, c.tcp().minRtoNanos);
    }

    @Test
    void everyKeyIsRead() {
        UserspaceConfig c = read(Map.of(
                "addresses", List.of("10.0.0.1/24", "10.0.1.1/24"),
                "gateway", "10.0.0.254",
                "device", Map.of("driver", "pair", "link", "lab", "mtu", 9000L, "slots", 64L,
                        "pcap", "/tmp/x.pcap",
                        "faults", Map.of("seed", 7L, "loss", 0.05, "duplicate", 0.01, "reorder", 0.02, "corrupt", 0.001,
                                "delay", "1ms", "jitter", "100us", "rateBytesPerSecond", 1_000_000L, "ingress", true)),
                "idle", "busy-spin",
                "spin", "50us",
                "tcp", Map.of("minRto", "5ms", "timeWait", "2s", "congestion", "cubic", "sack", false,
                        "delayedAck", "10ms", "ephemeralPorts", "40000-40100", "sendBuffer", 65536L,
                        "memoryLimit", 64L << 20, "receiveAutoTuning", false),
                "udp", Map.of("receiveBuffer", 4096L)));
        assertEquals(2, c.addresses().size());
        assertEquals(Ipv4Address.parse("10.0.0.254"), c.gateway());
        assertEquals(new DeviceSpec("pair", 9000, 64, 0, "lab", Path.of("/tmp/x.pcap"),
                new FaultSpec(7, 0.05, 0.01, 0.02, 0.001, 1_000_000, 100_000, 1_000_000, true), null), c.device());
        assertEquals("busy-spin", c.idle());
        assertEquals(50_000, c.spinNanos());
        assertEquals(5_000_000, c.tcp().minRtoNanos);
        assertEquals(2_000_000_000L, c.tcp().timeWaitNanos);
        assertEquals(TcpConfig.Congestion.CUBIC, c.tcp().congestion);
        assertFalse(c.tcp().sack);
        assertEquals(10_000_000, c.tcp().delayedAckNanos);
        assertEquals(40000, c.tcp().ephemeralPortLow);
        assertEquals(40100, c.tcp().ephemeralPortHigh);
        assertEquals(65536, c.tcp().defaultSendBuffer);
        assertEquals(64L << 20, c.tcp().memoryLimit);
        assertFalse(c.tcp().receiveAutoTuning);
        assertEquals(4096, c.udpReceiveBuffer());
    }

    @Test
    void errorsNameThePathAndTheProblem() {
        assertTrue(fails(Map.of("device", loopback())).getMessage().contains("needs an \"address\""));
        DmmConfigException e = fails(Map.of("address", "198.51.100.1", "device", loopback()));
        assertTrue(e.getMessage().contains("stacks[0].address") && e.getMessage().contains("prefix length"), e.getMessage());
        e = fails(Map.of("address", "198.51.100.300/24", "device", loopback()));
        assertTrue(e.getMessage().contains("not an IPv4 address"), e.getMessage());
        e = fails(Map.of("address", "224.0.0.1/24", "device", loopback()));
        assertTrue(e.getMessage().contains("stacks[0].address") && e.getMessage().contains("not a usable interface address"),
                e.getMessage());
        e = fails(Map.of("address", "198.51.100.1/24", "gateway", "10.0.0.1", "device", loopback()));
        assertTrue(e.getMessage().contains("not on a subnet"), e.getMessage());
        e = fails(Map.of("address", "198.51.100.1/24"));
        assertTrue(e.getMessage().contains("needs a \"device\""), e.getMessage());
        e = fails(Map.of("address", "198.51.100.1/24", "device", Map.of("driver", "nic")));
        assertTrue(e.getMessage().contains("stacks[0].device.driver") && e.getMessage().contains("unknown device driver"),
                e.getMessage());
        e = fails(Map.of("address", "198.51.100.1/24", "device", Map.of("driver", "pair")));
        assertTrue(e.getMessage().contains("needs a \"link\""), e.getMessage());
        e = fails(Map.of("address", "198.51.100.1/24", "device", Map.of("driver", "loopback", "mac", "01:00:00:00:00:01")));
        assertTrue(e.getMessage().contains("multicast"), e.getMessage());
        e = fails(Map.of("address", "198.51.100.1/24", "device", Map.of("driver", "pair", "link", "l", "mac", "02:00:00:00:00:01")));
        assertTrue(e.getMessage().contains("stacks[0].device.mac") && e.getMessage().contains("does not apply"), e.getMessage());
        e = fails(Map.of("address", "127.0.0.2/8", "device", Map.of("driver", "pair", "link", "l")));
        assertTrue(e.getMessage().contains("belongs on a loopback device"), e.getMessage());
        assertEquals(Ipv4Address.parse("127.0.0.1"), read(Map.of("address", "127.0.0.1/8", "device", loopback()))
                .addresses().getFirst().address());
        assertEquals(0x02000000000aL, read(Map.of("address", "198.51.100.1/24",
                "device", Map.of("driver", "loopback", "mac", "02:00:00:00:00:0a"))).device().mac());
        e = fails(Map.of("address", "198.51.100.1/24", "device", Map.of("driver", "loopback",
                "faults", Map.of("loss", 1.5))));
        assertTrue(e.getMessage().contains("stacks[0].device.faults.loss"), e.getMessage());
        e = fails(Map.of("address", "198.51.100.1/24", "device", loopback(), "tcp", Map.of("minRto", "10")));
        assertTrue(e.getMessage().contains("stacks[0].tcp.minRto") && e.getMessage().contains("unit"), e.getMessage());
        e = fails(Map.of("address", "198.51.100.1/24", "device", loopback(), "tcp", Map.of("memoryLimit", 4096L)));
        assertTrue(e.getMessage().contains("stacks[0].tcp.memoryLimit") && e.getMessage().contains("between"), e.getMessage());
        e = fails(Map.of("address", "198.51.100.1/24", "device", loopback(), "tcp", Map.of("delayedAck", "200ms")));
        assertTrue(e.getMessage().contains("between"), e.getMessage());
        e = fails(Map.of("address", "198.51.100.1/24", "device", loopback(), "tcp", Map.of("congestion", "bbr")));
        assertTrue(e.getMessage().contains("newreno"), e.getMessage());
        UserspaceConfig budget = read(Map.of("address", "198.51.100.1/24", "device", loopback(), "busyPoll", "200us"));
        assertEquals(200_000, budget.busyPollNanos());
        e = fails(Map.of("address", "198.51.100.1/24", "device", loopback(), "idle", "backoff", "busyPoll", "200us"));
        assertTrue(e.getMessage().contains("budget of the \"adaptive\" idle strategy"), e.getMessage());
        e = fails(Map.of("address", "198.51.100.1/24", "device", loopback(), "busyPoll", "2s"));
        assertTrue(e.getMessage().contains("busyPoll"), e.getMessage());
        e = fails(Map.of("address", "198.51.100.1/24", "device", loopback(), "idle", "sleepy"));
        assertTrue(e.getMessage().contains("busy-spin, backoff, park"), e.getMessage());
        e = fails(Map.of("address", "198.51.100.1/24", "device", loopback(), "tcp", Map.of("ephemeralPorts", "9-8")));
        assertTrue(e.getMessage().contains("low-high"), e.getMessage());
        e = fails(Map.of("address", "198.51.100.1/24", "device", loopback(), "color", "blue"));
        assertTrue(e.getMessage().contains("color"), e.getMessage());
    }

    @Test
    void tapDevices() {
        UserspaceConfig c = read(Map.of("address", "10.1.0.2/24", "device", Map.of("driver", "tap",
                "interface", "dmm-web.0", "mtu", 9000L, "mac", "02:00:00:00:00:0b")));
        assertEquals("tap", c.device().driver());
        assertEquals("dmm-web.0", c.device().iface());
        assertEquals(9000, c.device().mtu());
        assertEquals(0x02_00_00_00_00_0bL, c.device().mac());
        assertTrue(c.device().polled(), "a tap says nothing when frames arrive");
        assertEquals(50_000L, c.spinNanos(), "a spinner on a polled device polls it: Linux's busy_poll");
        UserspaceConfig named = read(Map.of("address", "10.1.0.2/24", "device", Map.of("driver", "tap")));
        assertEquals(null, named.device().iface(), "the kernel names it");
        assertEquals(1500, named.device().mtu());

        DmmConfigException e = fails(Map.of("address", "10.1.0.2/24", "device", Map.of("driver", "tap",
                "interface", "a-name-longer-than-15")));
        assertTrue(e.getMessage().contains("stacks[0].device.interface") && e.getMessage().contains("1 to 15"), e.getMessage());
        e = fails(Map.of("address", "10.1.0.2/24", "device", Map.of("driver", "tap", "interface", "dmm/0")));
        assertTrue(e.getMessage().contains("stacks[0].device.interface"), e.getMessage());
        e = fails(Map.of("address", "10.1.0.2/24", "device", Map.of("driver", "loopback", "interface", "dmm0")));
        assertTrue(e.getMessage().contains("stacks[0].device.interface") && e.getMessage().contains("\"tap\" driver only"),
                e.getMessage());
        e = fails(Map.of("address", "10.1.0.2/24", "device", Map.of("driver", "tap", "port", "net_tap0")));
        assertTrue(e.getMessage().contains("stacks[0].device.port") && e.getMessage().contains("\"dpdk\" driver only"),
                e.getMessage());
        e = fails(Map.of("address", "10.1.0.2/24", "device", Map.of("driver", "tap", "slots", 64L)));
        assertTrue(e.getMessage().contains("stacks[0].device.slots"), e.getMessage());
        e = fails(Map.of("address", "10.1.0.2/24", "device", Map.of("driver", "tap", "mtu", 9001L)));
        assertTrue(e.getMessage().contains("stacks[0].device.mtu"), e.getMessage());
        e = fails(Map.of("address", "10.1.0.2/24", "device", Map.of("driver", "tap"), "idle", "park"));
        assertTrue(e.getMessage().contains("stacks[0].idle") && e.getMessage().contains("a tap is polled"), e.getMessage());
    }

    @Test
    void dpdkDevices() {
        UserspaceConfig c = read(Map.of("address", "10.1.0.2/24", "device", Map.of("driver", "dpdk",
                "port", "net_tap0,iface=dmm0", "queues", 2L, "rxDescriptors", 512L, "txDescriptors", 256L,
                "mbufs", 4095L, "offloads", false, "eal", List.of("--no-huge", "-m", "256"), "mtu", 9000L)));
        assertEquals(new DpdkSpec("net_tap0,iface=dmm0", null, 2, 512, 256, 4095, false, List.of("--no-huge", "-m", "256")),
                c.device().dpdk());
        assertEquals(9000, c.device().mtu());
        assertEquals("adaptive", c.idle());
        DpdkSpec defaults = read(Map.of("address", "10.1.0.2/24", "device", Map.of("driver", "dpdk", "link", "r1")))
                .device().dpdk();
        assertEquals(new DpdkSpec(null, "r1", 1, 1024, 1024, 8191, true, null), defaults);

        DmmConfigException e = fails(Map.of("address", "10.1.0.2/24", "device", Map.of("driver", "dpdk")));
        assertTrue(e.getMessage().contains("either a \"port\"") && e.getMessage().contains("neither"), e.getMessage());
        e = fails(Map.of("address", "10.1.0.2/24", "device", Map.of("driver", "dpdk", "port", "net_tap0", "link", "x")));
        assertTrue(e.getMessage().contains("stacks[0].device.link") && e.getMessage().contains("both"), e.getMessage());
        e = fails(Map.of("address", "10.1.0.2/24", "device", Map.of("driver", "dpdk", "port", "net tap0")));
        assertTrue(e.getMessage().contains("stacks[0].device.port"), e.getMessage());
        e = fails(Map.of("address", "10.1.0.2/24", "device", Map.of("driver", "dpdk", "port", "net_tap0", "slots", 64L)));
        assertTrue(e.getMessage().contains("stacks[0].device.slots") && e.getMessage().contains("mbufs"), e.getMessage());
        e = fails(Map.of("address", "10.1.0.2/24", "device", Map.of("driver", "dpdk", "port", "net_tap0", "mbufs", 1500L)));
        assertTrue(e.getMessage().contains("stacks[0].device.mbufs") && e.getMessage().contains("at least 2560"), e.getMessage());
        e = fails(Map.of("address", "10.1.0.2/24", "device", Map.of("driver", "dpdk", "port", "net_tap0", "eal", "--no-huge")));
        assertTrue(e.getMessage().contains("stacks[0].device.eal") && e.getMessage().contains("array"), e.getMessage());
        e = fails(Map.of("address", "10.1.0.2/24", "device", Map.of("driver", "dpdk", "port", "net_tap0",
                "eal", List.of("--vdev=net_tap1"))));
        assertTrue(e.getMessage().contains("stacks[0].device.eal") && e.getMessage().contains("\"port\""), e.getMessage());
        e = fails(Map.of("address", "10.1.0.2/24", "device", Map.of("driver", "dpdk", "port", "net_tap0"), "idle", "park"));
        assertTrue(e.getMessage().contains("stacks[0].idle") && e.getMessage().contains("polled"), e.getMessage());
        e = fails(Map.of("address", "10.1.0.2/24", "device", Map.of("driver", "loopback", "queues", 2L)));
        assertTrue(e.getMessage().contains("stacks[0].device.queues") && e.getMessage().contains("\"dpdk\" driver only"),
                e.getMessage());
        e = fails(Map.of("address", "10.1.0.2/24", "device", Map.of("driver", "dpdk", "link", "a b")));
        assertTrue(e.getMessage().contains("stacks[0].device.link"), e.getMessage());
    }

    @Test
    void shardsDefaultToTheDevicesQueuesAndAreChecked() {
        assertEquals(1, read(Map.of("address", "10.1.0.2/24", "device", loopback())).shards());
        assertEquals(1, read(Map.of("address", "10.1.0.2/24", "device", Map.of("driver", "pair", "link", "l"))).shards());
        assertEquals(2, read(Map.of("address", "10.1.0.2/24", "device", Map.of("driver", "dpdk", "port", "net_tap0",
                "queues", 2L))).shards());
        assertEquals(1, read(Map.of("address", "10.1.0.2/24", "device", Map.of("driver", "dpdk", "link", "r1"))).shards());
        assertEquals(4, read(Map.of("address", "10.1.0.2/24", "device", loopback(), "shards", 4L)).shards());
        assertEquals(1, read(Map.of("address", "10.1.0.2/24", "device", Map.of("driver", "dpdk", "port", "net_tap0",
                "queues", 2L), "shards", 1L)).shards());

        DmmConfigException e = fails(Map.of("address", "10.1.0.2/24", "device", loopback(), "shards", 0L));
        assertTrue(e.getMessage().contains("stacks[0].shards") && e.getMessage().contains("between 1 and 64, got 0"),
                e.getMessage());
        e = fails(Map.of("address", "10.1.0.2/24", "device", loopback(), "shards", 65L));
        assertTrue(e.getMessage().contains("stacks[0].shards") && e.getMessage().contains("got 65"), e.getMessage());
        e = fails(Map.of("address", "10.1.0.2/24", "device", loopback(), "shards", "two"));
        assertTrue(e.getMessage().contains("stacks[0].shards"), e.getMessage());
    }

    @Test
    void durations() {
        String[] err = new String[1];
        assertEquals(250_000L, DurationText.parse("250us", err));
        assertEquals(1_500_000_000L, DurationText.parse("1.5s", err));
        assertEquals(7_200_000_000_000L, DurationText.parse("2h", err));
        assertNull(DurationText.parse("12", err));
        assertTrue(err[0].contains("unit"));
        assertNull(DurationText.parse("ms", err));
        assertEquals("40ms", DurationText.format(40_000_000L));
        assertEquals("1500ns", DurationText.format(1_500L));
        assertEquals("2us", DurationText.format(2_000L));
    }

    /**
     * What reaches beyond the stack's own memory is local-only (docs/security.md): the EAL arguments
     * (-d loads a shared object), the port's devargs (PCI devices, PMDs opening host files) and the
     * capture file. Each path names a key the reader reads, so renaming one cannot leave it unguarded.
     */
    @Test
    void settingsReachingBeyondTheStackAreLocalOnly() {
        assertEquals(Set.of("device.eal", "device.port", "device.pcap", "device.interface"),
                new UserspaceStackProvider().localOnlySettings());
        for (String path : UserspaceSettingsReader.LOCAL_ONLY) {
            String[] keys = path.split("\\.");
            assertEquals(2, keys.length, path);
            assertEquals("device", keys[0], path);
            assertTrue(UserspaceSettingsReader.DEVICE.contains(keys[1]), path);
        }
    }
}
