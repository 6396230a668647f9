package io.dmm.stack.userspace.interop;

import io.dmm.api.spi.StackInstance;
import io.dmm.stack.userspace.dpdk.DpdkStacks;
import io.dmm.systemtest.host.NetNamespace;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A userspace stack instance on a device whose other end is a kernel interface inside a fresh
 * namespace: the Linux kernel as the peer, on a link of its own. The device is a DPDK port or,
 * for {@link PortKind#TAP_DRIVER}, the stack's own tap driver (no DPDK). The stack is {@link #STACK_IP},
 * the kernel {@link #KERNEL_IP}; every link uses the same subnet, which is safe because each
 * kernel side is in its own namespace and the JVM namespace's end (the veth of af_packet, the tap
 * before it is moved) never has an address.
 *
 * <p>{@link #close()} closes the stack first (for a tap that destroys the tap interface), then
 * the namespace; both are idempotent.
 */
final class DpdkKernelLink implements AutoCloseable {
    static final String STACK_IP = "10.231.0.2";
    static final String KERNEL_IP = "10.231.0.1";
    static final String PREFIX = "/24";
    private static final AtomicInteger PORTS = new AtomicInteger();

    final PortKind kind;
    final NetNamespace ns;
    final StackInstance stack;
    /** The kernel's interface, inside {@link #ns}. */
    final String kernelIface;
    /** The stack's counters as a test last read them before closing, for checks after the close. */
    Map<String, Long> lastCounters = Map.of();

    private DpdkKernelLink(PortKind kind, NetNamespace ns, StackInstance stack, String kernelIface) {
        this.kind = kind;
        this.ns = ns;
        this.stack = stack;
        this.kernelIface = kernelIface;
    }

    static DpdkKernelLink open(PortKind kind) {
        return open(kind, Map.of());
    }

    /** @param tcp the stack entry's "tcp" settings */
    static DpdkKernelLink open(PortKind kind, Map<String, Object> tcp) {
        return open(kind, tcp, Map.of());
    }

    /**
     * @param tcp    the stack entry's "tcp" settings
     * @param device extra keys of the stack's device, e.g. {@code "queues"} of a DPDK port
     */
    static DpdkKernelLink open(PortKind kind, Map<String, Object> tcp, Map<String, Object> device) {
        return openWithEntry(kind, tcp.isEmpty() ? Map.of() : Map.of("tcp", tcp), device);
    }

    /** A link whose stack routes everything off its subnet through the kernel ({@link #KERNEL_IP} its gateway). */
    static DpdkKernelLink openRouted(PortKind kind) {
        return openWithEntry(kind, Map.of("gateway", KERNEL_IP), Map.of());
    }

    /**
     * @param entry  more keys of the stack entry, e.g. "tcp"
     * @param device extra keys of the stack's device
     */
    private static DpdkKernelLink openWithEntry(PortKind kind, Map<String, Object> entry, Map<String, Object> device) {
        NetNamespace ns = NetNamespace.create();
        StackInstance stack = null;
        try {
            int n = PORTS.incrementAndGet();
            String kernelIface;
            if (kind != PortKind.AF_PACKET) {
                kernelIface = NetNamespace.uniqueInterfaceName(kind == PortKind.TAP ? "dtp" : "dkt");
                Map<String, Object> driver = kind == PortKind.TAP
                        ? dpdkPort("net_tap_dmm" + n + ",iface=" + kernelIface)
                        : Map.of("driver", "tap", "interface", kernelIface);
                stack = startStack(kind, n, driver, entry, device);
                // The tap was made in the JVM's namespace; its fd stays with the stack wherever it moves.
                ns.adopt(kernelIface);
                ns.configure(kernelIface, KERNEL_IP + PREFIX);
            } else {
                kernelIface = NetNamespace.uniqueInterfaceName("dvi");
                String outside = ns.addVethPair(kernelIface);
                ns.configure(kernelIface, KERNEL_IP + PREFIX);
                // veth offloads checksums by default: the kernel would send TCP with a partial
                // checksum (to be completed by a NIC that is not there), which the stack rightly drops.
                ns.execOk("ethtool", "-K", kernelIface, "tx", "off");
                stack = startStack(kind, n, dpdkPort("net_af_packet_dmm" + n + ",iface=" + outside), entry, device);
            }
            DpdkKernelLink link = new DpdkKernelLink(kind, ns, stack, kernelIface);
            ns.failureContext(link::counters);
            return link;
        } catch (RuntimeException | Error e) {
            try {
                if (stack != null) stack.close();
            } finally {
                ns.close();
            }
            throw e;
        }
    }

    private static Map<String, Object> dpdkPort(String devargs) {
        return Map.of("driver", "dpdk", "port", devargs);
    }

    /** @param driver the device's "driver" and the keys that say which device, over the test's {@code device} keys */
    private static StackInstance startStack(PortKind kind, int n, Map<String, Object> driver, Map<String, Object> entry,
                                            Map<String, Object> device) {
        Map<String, Object> dev = new LinkedHashMap<>(device);
        dev.putAll(driver);
        return DpdkStacks.up("interop-" + kind.name().toLowerCase() + n, STACK_IP + PREFIX, dev,
                entry.isEmpty() ? null : entry);
    }

    /** A counter of the stack, 0 when it was never counted. */
    long counter(String key) {
        return stack.counters().getOrDefault(key, 0L);
    }

    /** The stack's non-zero counters, for failure messages: drops by reason say what went wrong. */
    String counters() {
        StringBuilder b = new StringBuilder("stack counters:");
        new TreeMap<>(stack.counters()).forEach((k, v) -> {
            if (v != 0) b.append(' ').append(k).append('=').append(v);
        });
        return b.toString();
    }

    @Override
    public void close() {
        try {
            stack.close();
        } finally {
            ns.close();
        }
    }
}
