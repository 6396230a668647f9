package io.dmm.stack.userspace.config;

import java.nio.file.Path;

/**
 * A stack entry's {@code "device"} object. Drivers: {@code "loopback"} (frames come back into the
 * same instance) and {@code "pair"} (two instances naming the same {@code link} are wired back to
 * back). {@code mac} 0 means a locally administered address derived from the instance name.
 * {@code pcap} (nullable) captures every frame; {@code faults} (nullable) injects faults.
 */
public record DeviceSpec(String driver, int mtu, int slots, long mac, String link, Path pcap, FaultSpec faults) {
    public static final String LOOPBACK = "loopback";
    public static final String PAIR = "pair";
}
