package io.dmm.stack.userspace.config;

import io.dmm.api.spi.StackSettings;
import io.dmm.stack.userspace.iface.Ipv4Cidr;
import io.dmm.stack.userspace.poll.AdaptiveIdle;
import io.dmm.stack.userspace.tcp.TcpConfig;
import io.dmm.stack.userspace.wire.Ipv4Address;
import io.dmm.stack.userspace.wire.MacAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a {@code "type": "userspace"} stack entry into a {@link UserspaceConfig}. Every complaint
 * points at the offending value (file, line:column, JSON path) through {@link StackSettings#error};
 * unknown keys are refused with a suggestion. docs/userspace-stack.md lists every key.
 */
public final class UserspaceSettingsReader {
    static final Set<String> TOP = Set.of("address", "addresses", "gateway", "device", "idle", "busyPoll", "spin", "tcp",
            "udp", "shards");
    static final Set<String> DEVICE = Set.of("driver", "mtu", "slots", "mac", "link", "pcap", "faults",
            "port", "queues", "rxDescriptors", "txDescriptors", "mbufs", "offloads", "eal", "interface");
    /** Keys only a DPDK device has. */
    static final List<String> DPDK_ONLY = List.of("port", "queues", "rxDescriptors", "txDescriptors", "mbufs",
            "offloads", "eal");
    /**
     * The settings only the local policy file may set ({@link io.dmm.api.spi.StackProvider#localOnlySettings()}),
     * each because it reaches beyond the stack's own memory: {@code device.eal} is handed to DPDK's
     * EAL, whose {@code -d} loads a shared object (and {@code -a}/{@code --vdev} take over devices);
     * {@code device.port} is DPDK devargs, which take over a NIC by PCI address or make a PMD open
     * host files and programs ({@code net_pcap}'s {@code rx_pcap}/{@code tx_pcap}, {@code net_af_xdp}'s
     * {@code xdp_prog}); {@code device.pcap} names a file the instance creates or overwrites;
     * {@code device.interface} names a host interface a tap device takes over or creates. Left
     * out, each is harmless: the EAL's defaults take no device and load nothing named by the policy,
     * a device without a port is a link inside the JVM, and nothing is captured.
     */
    public static final Set<String> LOCAL_ONLY = Set.of("device.eal", "device.port", "device.pcap", "device.interface");
    static final Set<String> FAULTS = Set.of("seed", "loss", "duplicate", "reorder", "corrupt", "delay", "jitter",
            "rateBytesPerSecond", "ingress");
    /** The default {@code spin} where the spinner only waits for another thread of this JVM. */
    static final long SPIN_NANOS = 20_000L;
    /**
     * The default {@code spin} on a polled device (tap, DPDK port), where a spinning thread also polls
     * the device and receives its answer itself: Linux's recommended {@code busy_poll}. Against a
     * Linux peer's echo on 2 vCPUs, 20 µs ran out whenever the peer was woken on the other, idle
     * CPU (about 30 µs), and the thread then parked and was woken through the poll loop: p99 1.1
     * times the kernel's; with 50 µs 0.7 times (docs/benchmarks.md).
     */
    static final long POLLED_SPIN_NANOS = 50_000L;
    static final Set<String> TCP = Set.of("mss", "initialRto", "minRto", "maxRto", "timeWait", "delayedAck", "sack",
            "timestamps", "windowScaling", "congestion", "initialCwnd", "keepAliveIdle", "keepAliveInterval",
            "keepAliveProbes", "synRetries", "dataRetries", "sendBuffer", "receiveBuffer", "ephemeralPorts", "backlog",
            "memoryLimit", "receiveAutoTuning");
    static final Set<String> UDP = Set.of("receiveBuffer");
    static final Set<String> IDLE = Set.of("adaptive", "busy-spin", "backoff", "park");
    /** Each shard is a poll loop thread: more than a machine's cores is a mistake, so the bound is modest. */
    static final int MAX_SHARDS = 64;

    private UserspaceSettingsReader() {}

    public static UserspaceConfig read(StackSettings s) {
        s.allowOnly(TOP);
        List<Ipv4Cidr> addresses = addresses(s);
        int gateway = 0;
        if (s.has("gateway")) {
            gateway = ipv4(s, "gateway", s.string("gateway", null));
            boolean onLink = false;
            for (Ipv4Cidr a : addresses) {
                onLink |= a.contains(gateway);
            }
            if (!onLink) {
                throw s.error("gateway", "gateway " + Ipv4Address.toString(gateway)
                        + " is not on a subnet of this instance (" + addresses + ")");
            }
        }
        StackSettings dev = s.object("device");
        if (dev == null) {
            throw s.error("device", "a userspace stack needs a \"device\", e.g. {\"driver\": \"loopback\"}");
        }
        DeviceSpec device = device(dev, s.name());
        for (Ipv4Cidr a : addresses) {
            if ((a.address() >>> 24) == 127 && !device.driver().equals(DeviceSpec.LOOPBACK)) {
                throw s.error(s.has("address") ? "address" : "addresses", "a 127.0.0.0/8 address belongs on a "
                        + "loopback device, not on a \"" + device.driver() + "\" device");
            }
        }
        String idle = s.string("idle", "adaptive");
        if (!IDLE.contains(idle)) {
            throw s.error("idle", "idle must be one of adaptive, busy-spin, backoff, park; got \"" + idle + "\"");
        }
        if (s.has("busyPoll") && !idle.equals("adaptive")) {
            throw s.error("busyPoll", "busyPoll is the budget of the \"adaptive\" idle strategy; idle is \"" + idle + "\"");
        }
        long busyPoll = s.has("busyPoll") ? duration(s, "busyPoll", 0, Duration.ofSeconds(1).toNanos())
                : AdaptiveIdle.DEFAULT_BUDGET_NANOS;
        if (idle.equals("park") && device.polled()) {
            // a port says nothing when frames arrive: a parked loop would only see them at its next timer
            throw s.error("idle", "a " + (device.driver().equals(DeviceSpec.TAP) ? "tap" : "DPDK port")
                    + " is polled, so its poll loop must not park until woken: "
                    + "use \"adaptive\" (the default), \"backoff\" or \"busy-spin\"");
        }
        // a short spin that yields (ChannelSignal.await): a round trip then needs no context switch
        long spin = s.has("spin") ? duration(s, "spin", 0, Duration.ofSeconds(1).toNanos())
                : device.polled() ? POLLED_SPIN_NANOS : SPIN_NANOS;
        StackSettings tcpSettings = s.object("tcp");
        TcpConfig tcp = tcpSettings == null ? TcpConfig.defaults() : tcp(tcpSettings);
        int udpBuffer = 256 * 1024;
        StackSettings udp = s.object("udp");
        if (udp != null) {
            udp.allowOnly(UDP);
            udpBuffer = intIn(udp, "receiveBuffer", udpBuffer, 1024, 64 << 20);
        }
        // one shard per DPDK queue by default (RSS already spreads the flows so); in-memory devices one
        int shards = intIn(s, "shards", device.dpdk() != null ? device.dpdk().queues() : 1, 1, MAX_SHARDS);
        return new UserspaceConfig(s.name(), List.copyOf(addresses), gateway, device, idle, spin, busyPoll, tcp, udpBuffer,
                shards);
    }

    private static List<Ipv4Cidr> addresses(StackSettings s) {
        List<Ipv4Cidr> result = new ArrayList<>();
        if (s.has("address") && s.has("addresses")) {
            throw s.error("addresses", "give either \"address\" or \"addresses\", not both");
        }
        if (s.has("address")) {
            Object raw = s.get("address");
            if (!(raw instanceof String text)) {
                throw s.error("address", "address expects a string like \"198.51.100.1/24\"");
            }
            result.add(cidr(s, "address", text));
        } else if (s.has("addresses")) {
            if (!(s.get("addresses") instanceof List<?> list) || list.isEmpty()) {
                throw s.error("addresses", "addresses expects a non-empty array of strings like \"198.51.100.1/24\"");
            }
            for (Object o : list) {
                if (!(o instanceof String text)) {
                    throw s.error("addresses", "addresses expects strings like \"198.51.100.1/24\", got " + o);
                }
                Ipv4Cidr a = cidr(s, "addresses", text);
                for (Ipv4Cidr b : result) {
                    if (b.address() == a.address()) {
                        throw s.error("addresses", "address " + Ipv4Address.toString(a.address()) + " is listed twice");
                    }
                }
                result.add(a);
            }
        } else {
            throw s.error("address", "a userspace stack needs an \"address\", e.g. \"198.51.100.1/24\"");
        }
        return result;
    }

    private static Ipv4Cidr cidr(StackSettings s, String key, String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw s.error(key, "\"" + text + "\" needs a prefix length, e.g. \"" + text + "/24\"");
        }
        int ip = ipv4(s, key, text.substring(0, slash));
        int prefix;
        try {
            prefix = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            prefix = -1;
        }
        if (prefix < 1 || prefix > 32) {
            throw s.error(key, "\"" + text + "\": the prefix length must be 1..32");
        }
        try {
            return new Ipv4Cidr(ip, prefix); // refuses the unspecified, broadcast and multicast addresses
        } catch (IllegalArgumentException e) {
            throw s.error(key, "\"" + text + "\": " + e.getMessage());
        }
    }

    private static int ipv4(StackSettings s, String key, String text) {
        if (text == null) {
            throw s.error(key, key + " expects an IPv4 address string");
        }
        try {
            return Ipv4Address.parse(text.strip());
        } catch (IllegalArgumentException e) {
            throw s.error(key, "\"" + text + "\" is not an IPv4 address (the userspace stack is IPv4 only)");
        }
    }

    private static DeviceSpec device(StackSettings d, String instance) {
        d.allowOnly(DEVICE);
        String driver = d.string("driver", null);
        if (driver == null) {
            throw d.error("driver", "the device needs a \"driver\": \"loopback\", \"pair\", \"tap\" or \"dpdk\"");
        }
        if (!driver.equals(DeviceSpec.DPDK)) {
            for (String key : DPDK_ONLY) {
                if (d.has(key)) throw d.error(key, "\"" + key + "\" applies to the \"dpdk\" driver only");
            }
        }
        if (!driver.equals(DeviceSpec.TAP) && d.has("interface")) {
            throw d.error("interface", "\"interface\" applies to the \"tap\" driver only");
        }
        String link = null;
        String iface = null;
        int defaultMtu;
        DpdkSpec dpdk = null;
        switch (driver) {
            case DeviceSpec.LOOPBACK -> {
                if (d.has("link")) throw d.error("link", "\"link\" applies to the \"pair\" and \"dpdk\" drivers only");
                defaultMtu = 65_535;
            }
            case DeviceSpec.PAIR -> {
                link = d.string("link", null);
                if (link == null || link.isBlank()) {
                    throw d.error("link", "a \"pair\" device needs a \"link\" name; the two instances naming the same "
                            + "link are wired to each other");
                }
                defaultMtu = 1500;
            }
            case DeviceSpec.DPDK -> {
                if (d.has("slots")) throw d.error("slots", "a DPDK port's buffers are set by \"mbufs\", \"rxDescriptors\" and \"txDescriptors\"");
                dpdk = dpdk(d);
                link = dpdk.link();
                defaultMtu = 1500;
            }
            case DeviceSpec.TAP -> {
                if (d.has("link")) throw d.error("link", "\"link\" applies to the \"pair\" and \"dpdk\" drivers only");
                if (d.has("slots")) throw d.error("slots", "a tap's buffers are fixed (64 receive and 64 transmit frames)");
                iface = d.string("interface", null);
                if (iface != null && !iface.matches("[A-Za-z0-9_.-]{1,15}")) {
                    throw d.error("interface", "\"" + iface + "\" is not an interface name: 1 to 15 letters, digits, "
                            + "'_', '.' or '-' (Linux's limit), e.g. \"dmm0\"");
                }
                defaultMtu = 1500;
            }
            default -> throw d.error("driver", "unknown device driver \"" + driver + "\" (known: loopback, pair, tap, dpdk)");
        }
        int mtu = intIn(d, "mtu", defaultMtu, 576, dpdk != null || driver.equals(DeviceSpec.TAP) ? 9000 : 65_535);
        int slots = dpdk != null || driver.equals(DeviceSpec.TAP) ? 0 : intIn(d, "slots", 1024, 16, 1 << 20);
        long mac = 0;
        if (d.has("mac")) {
            if (link != null) throw d.error("mac", "the two ends of a link get distinct MACs of their own; \"mac\" does not apply");
            mac = mac(d, d.string("mac", null));
        }
        Path pcap = d.has("pcap") ? Path.of(d.string("pcap", null)) : null;
        StackSettings f = d.object("faults");
        FaultSpec faults = f == null ? null : faults(f);
        return new DeviceSpec(driver, mtu, slots, mac, link, pcap, faults, dpdk, iface);
    }

    private static DpdkSpec dpdk(StackSettings d) {
        String port = d.string("port", null);
        String link = d.string("link", null);
        if ((port == null) == (link == null)) {
            throw d.error(port == null ? "driver" : "link", "a \"dpdk\" device needs either a \"port\" (devargs such as "
                    + "\"net_tap0,iface=dmm0\" or a PCI address such as \"0000:01:00.0\") or a \"link\" (a net_ring pair "
                    + "between two instances of this JVM), not " + (port == null ? "neither" : "both"));
        }
        if (port != null && (port.isBlank() || port.startsWith(",") || port.chars().anyMatch(Character::isWhitespace))) {
            throw d.error("port", "\"" + port + "\" is not a port: give devargs such as \"net_tap0,iface=dmm0\" or a PCI "
                    + "address such as \"0000:01:00.0\", without spaces");
        }
        if (link != null && (link.isBlank() || link.length() > 20 || !link.matches("[A-Za-z0-9_-]+"))) {
            throw d.error("link", "a link name is 1-20 letters, digits, '_' or '-' (it names DPDK rings), got \"" + link + "\"");
        }
        int queues = intIn(d, "queues", 1, 1, 64);
        int rxd = intIn(d, "rxDescriptors", 1024, 32, 16_384);
        int txd = intIn(d, "txDescriptors", 1024, 32, 16_384);
        int mbufs = intIn(d, "mbufs", 8191, 1023, 1 << 20);
        if (mbufs < queues * (rxd + txd) + 512) {
            throw d.error("mbufs", "mbufs must cover every descriptor of every queue plus 512 in flight: at least "
                    + (queues * (rxd + txd) + 512) + " for " + queues + " queue(s) of " + rxd + "+" + txd + ", got " + mbufs);
        }
        boolean offloads = d.bool("offloads", true);
        List<String> eal = null;
        Object raw = d.get("eal");
        if (raw != null) {
            if (!(raw instanceof List<?> list) || list.stream().anyMatch(o -> !(o instanceof String))) {
                throw d.error("eal", "eal expects an array of EAL argument strings, e.g. [\"--no-huge\", \"-m\", \"512\"]");
            }
            eal = list.stream().map(String.class::cast).toList();
            for (String a : eal) {
                // ports belong in "port", where each instance attaches (and later detaches) its own
                if (a.startsWith("--vdev")) {
                    throw d.error("eal", "give virtual devices as the device's \"port\" (e.g. \"net_tap0,iface=dmm0\"), not as --vdev");
                }
            }
        }
        return new DpdkSpec(port, link, queues, rxd, txd, mbufs, offloads, eal);
    }

    private static long mac(StackSettings d, String text) {
        String[] parts = text == null ? new String[0] : text.split(":", -1);
        long v = 0;
        boolean ok = parts.length == 6;
        for (int i = 0; ok && i < 6; i++) {
            ok = parts[i].length() == 2 && parts[i].chars().allMatch(c -> Character.digit(c, 16) >= 0);
            if (ok) v = v << 8 | Integer.parseInt(parts[i], 16);
        }
        if (!ok) throw d.error("mac", "\"" + text + "\" is not a MAC address like \"02:00:00:00:00:01\"");
        if (MacAddress.isMulticast(v)) throw d.error("mac", "\"" + text + "\" is a multicast MAC address");
        return v;
    }

    private static FaultSpec faults(StackSettings f) {
        f.allowOnly(FAULTS);
        long seed = f.integer("seed", 1);
        double loss = fraction(f, "loss");
        double dup = fraction(f, "duplicate");
        double reorder = fraction(f, "reorder");
        double corrupt = fraction(f, "corrupt");
        long delay = f.has("delay") ? duration(f, "delay", 0, Duration.ofSeconds(10).toNanos()) : 0;
        long jitter = f.has("jitter") ? duration(f, "jitter", 0, Duration.ofSeconds(10).toNanos()) : 0;
        long rate = f.integer("rateBytesPerSecond", 0);
        if (rate < 0) throw f.error("rateBytesPerSecond", "rateBytesPerSecond must be >= 0 (0: no limit)");
        return new FaultSpec(seed, loss, dup, reorder, corrupt, delay, jitter, rate, f.bool("ingress", false));
    }

    private static TcpConfig tcp(StackSettings t) {
        t.allowOnly(TCP);
        TcpConfig.Builder b = TcpConfig.defaults().toBuilder();
        TcpConfig d = TcpConfig.defaults();
        if (t.has("mss")) b.mss(intIn(t, "mss", 0, 88, 65_535));
        long minRto = t.has("minRto") ? duration(t, "minRto", 1_000L, Duration.ofSeconds(10).toNanos()) : d.minRtoNanos;
        long maxRto = t.has("maxRto") ? duration(t, "maxRto", 1_000_000L, Duration.ofHours(1).toNanos()) : d.maxRtoNanos;
        long initialRto = t.has("initialRto") ? duration(t, "initialRto", 1_000L, Duration.ofMinutes(5).toNanos())
                : d.initialRtoNanos;
        if (minRto > maxRto) throw t.error("minRto", "minRto must not exceed maxRto (" + DurationText.format(maxRto) + ")");
        if (initialRto < minRto || initialRto > maxRto) {
            throw t.error("initialRto", "initialRto must lie between minRto and maxRto");
        }
        b.minRto(Duration.ofNanos(minRto)).maxRto(Duration.ofNanos(maxRto)).initialRto(Duration.ofNanos(initialRto));
        if (t.has("timeWait")) b.timeWait(Duration.ofNanos(duration(t, "timeWait", 0, Duration.ofMinutes(10).toNanos())));
        if (t.has("delayedAck")) {
            b.delayedAck(Duration.ofNanos(duration(t, "delayedAck", 0, Duration.ofMillis(40).toNanos())));
        }
        b.sack(t.bool("sack", d.sack)).timestamps(t.bool("timestamps", d.timestamps))
                .windowScaling(t.bool("windowScaling", d.windowScaling));
        if (t.has("congestion")) {
            String c = t.string("congestion", "").toUpperCase(Locale.ROOT);
            try {
                b.congestion(TcpConfig.Congestion.valueOf(c));
            } catch (IllegalArgumentException e) {
                throw t.error("congestion", "congestion must be \"newreno\" or \"cubic\", got \""
                        + t.string("congestion", "") + "\"");
            }
        }
        if (t.has("initialCwnd")) b.initialCwndSegments(intIn(t, "initialCwnd", 10, 1, 100));
        if (t.has("keepAliveIdle")) {
            b.keepAliveIdle(Duration.ofNanos(duration(t, "keepAliveIdle", 1_000_000L, Duration.ofDays(1).toNanos())));
        }
        if (t.has("keepAliveInterval")) {
            b.keepAliveInterval(Duration.ofNanos(duration(t, "keepAliveInterval", 1_000_000L, Duration.ofDays(1).toNanos())));
        }
        if (t.has("keepAliveProbes")) b.keepAliveProbes(intIn(t, "keepAliveProbes", 9, 1, 127));
        if (t.has("synRetries")) b.synRetries(intIn(t, "synRetries", 6, 0, 127));
        if (t.has("dataRetries")) b.dataRetries(intIn(t, "dataRetries", 15, 1, 127));
        if (t.has("sendBuffer")) b.defaultSendBuffer(intIn(t, "sendBuffer", 0, 2048, d.maxBuffer));
        if (t.has("receiveBuffer")) b.defaultReceiveBuffer(intIn(t, "receiveBuffer", 0, 2048, d.maxBuffer));
        if (t.has("memoryLimit")) {
            long limit = t.integer("memoryLimit", d.memoryLimit);
            if (limit < 64 * 1024 || limit > 1L << 40) {
                throw t.error("memoryLimit", "memoryLimit must be between 65536 and " + (1L << 40) + " bytes, got " + limit);
            }
            b.memoryLimit(limit);
        }
        b.receiveAutoTuning(t.bool("receiveAutoTuning", d.receiveAutoTuning));
        if (t.has("backlog")) b.defaultBacklog(intIn(t, "backlog", 50, 1, 65_535));
        if (t.has("ephemeralPorts")) {
            String text = t.string("ephemeralPorts", "");
            String[] p = text.split("-", -1);
            int lo = -1;
            int hi = -1;
            try {
                if (p.length == 2) {
                    lo = Integer.parseInt(p[0].strip());
                    hi = Integer.parseInt(p[1].strip());
                }
            } catch (NumberFormatException e) {
                lo = -1;
            }
            if (lo < 1024 || hi > 65_535 || lo > hi) {
                throw t.error("ephemeralPorts", "ephemeralPorts expects \"low-high\" within 1024-65535, got \"" + text + "\"");
            }
            b.ephemeralPorts(lo, hi);
        }
        return b.build();
    }

    private static long duration(StackSettings s, String key, long min, long max) {
        Object raw = s.get(key);
        if (!(raw instanceof String text)) {
            throw s.error(key, key + " expects a duration string like \"10ms\", got " + raw);
        }
        String[] error = new String[1];
        Long nanos = DurationText.parse(text, error);
        if (nanos == null) throw s.error(key, error[0]);
        if (nanos < min || nanos > max) {
            throw s.error(key, key + " must be between " + DurationText.format(min) + " and " + DurationText.format(max)
                    + ", got \"" + text + "\"");
        }
        return nanos;
    }

    private static int intIn(StackSettings s, String key, int defaultValue, int min, int max) {
        long v = s.integer(key, defaultValue);
        if (v < min || v > max) {
            throw s.error(key, key + " must be between " + min + " and " + max + ", got " + v);
        }
        return (int) v;
    }

    private static double fraction(StackSettings s, String key) {
        Object raw = s.get(key);
        if (raw == null) return 0;
        double v;
        if (raw instanceof Double dv) v = dv;
        else if (raw instanceof Long lv) v = lv;
        else throw s.error(key, key + " expects a probability between 0 and 1, got " + raw);
        if (!(v >= 0 && v <= 1)) throw s.error(key, key + " expects a probability between 0 and 1, got " + v);
        return v;
    }
}
