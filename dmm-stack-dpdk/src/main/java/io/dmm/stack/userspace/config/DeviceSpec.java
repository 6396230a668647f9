package io.dmm.stack.userspace.config;

import java.nio.file.Path;

/**
 * A stack entry's {@code "device"} object. Drivers: {@code "loopback"} (frames come back into the
 * same instance) and {@code "pair"} (two instances naming the same {@code link} are wired back to
 * back). {@code mac} 0 means a locally administered address derived from the instance name.
 * {@code pcap} (nullable) captures every frame; {@code faults} (nullable) injects faults.
 * {@code "dpdk"}: a DPDK port ({@code dpdk} holds its settings, null for the other drivers; on it
 * {@code mac} 0 means the port's own address). {@code "tap"}: a Linux tap interface driven through
 * {@code /dev/net/tun} ({@code iface} its name, null for one the kernel names {@code dmmN}).
 */
public record DeviceSpec(String driver, int mtu, int slots, long mac, String link, Path pcap, FaultSpec faults,
                         DpdkSpec dpdk, String iface) {
    public static final String LOOPBACK = "loopback";
    public static final String PAIR = "pair";
    public static final String DPDK = "dpdk";
    public static final String TAP = "tap";

    /** A device of no tap interface. */
    public DeviceSpec(String driver, int mtu, int slots, long mac, String link, Path pcap, FaultSpec faults,
                      DpdkSpec dpdk) {
        this(driver, mtu, slots, mac, link, pcap, faults, dpdk, null);
    }

    /**
     * Whether the device says nothing when frames arrive, so it must be polled: a DPDK port or a
     * tap (an in-memory link notifies its peer, a ring link of this JVM too).
     */
    public boolean polled() {
        return driver.equals(TAP) || dpdk != null && dpdk.port() != null;
    }
}
