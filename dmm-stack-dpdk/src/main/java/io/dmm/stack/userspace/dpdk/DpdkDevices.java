package io.dmm.stack.userspace.dpdk;

import io.dmm.stack.userspace.config.DeviceSpec;
import io.dmm.stack.userspace.config.DpdkSpec;
import io.dmm.stack.userspace.phy.Device;
import io.dmm.stack.userspace.phy.LinkEnds;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens the DPDK device of a stack instance: starts the EAL if needed, attaches and starts the port
 * (or claims an end of a {@code net_ring} link), and hands back its {@link DpdkDevice}. Everything
 * that can be missing (the shim, DPDK's libraries, the EAL, the port) surfaces here as a
 * {@link DpdkUnavailableException} saying what and how to fix it, with nothing left open.
 */
public final class DpdkDevices {
    private static final LinkEnds<RingLink> RINGS = new LinkEnds<>("ring link");
    private static final AtomicInteger RING_PAIRS = new AtomicInteger();

    private DpdkDevices() {}

    public static Device open(String instance, DeviceSpec spec) {
        DpdkSpec d = spec.dpdk();
        Eal.ensureStarted(d.eal());
        if (d.link() != null) return claimRingEnd(instance, spec);
        DpdkPort port = DpdkPort.attach(d.port());
        try {
            port.start(d, spec.mtu(), spec.mac());
            return new DpdkDevice(instance + ".dpdk" + Short.toUnsignedInt(port.id), port, d.queues(), spec.mtu(), null);
        } catch (RuntimeException | Error e) {
            port.close();
            throw e;
        }
    }

    /**
     * The first instance naming a link creates both ring ports (wired crosswise) and takes end a;
     * the second takes end b. Each end's device tells the other after sending, so an idle peer need
     * not poll. The rings go when both ends have closed.
     */
    private static Device claimRingEnd(String instance, DeviceSpec spec) {
        DpdkSpec d = spec.dpdk();
        LinkEnds.Claim<RingLink> claim;
        try {
            claim = RINGS.claim(d.link(), instance, spec.mtu(),
                    () -> RingLink.create(d.link(), Integer.highestOneBit(d.rxDescriptors() * 2 - 1)));
        } catch (IllegalArgumentException e) {
            throw new DpdkUnavailableException(e.getMessage(), e);
        }
        RingLink link = claim.link();
        int end = claim.end();
        DpdkPort port = link.ports[end];
        DpdkDevice device;
        try {
            // ring ports have no address of their own: a locally administered one per pair and end
            port.start(d, spec.mtu(), 0x02_64_6D_00_00_00L | (long) (link.number & 0x7F_FFFF) << 1 | end);
            device = new DpdkDevice(instance + ".ring" + Short.toUnsignedInt(port.id), port, 1, spec.mtu(),
                    () -> release(link, end));
        } catch (RuntimeException | Error e) {
            port.close();
            if (RINGS.release(link.name, link, end)) link.free();  // nobody on the link: drop it whole
            throw e;
        }
        synchronized (link) {
            link.devices[end] = device;
            DpdkDevice other = link.devices[1 - end];
            if (other != null) {
                device.setPeerNotifier(other::notifyArrival);
                other.setPeerNotifier(device::notifyArrival);
            }
        }
        return device;
    }

    private static void release(RingLink link, int end) {
        synchronized (link) {
            link.devices[end] = null;
            DpdkDevice other = link.devices[1 - end];
            if (other != null) other.setPeerNotifier(null);
        }
        if (RINGS.release(link.name, link, end)) link.free();
    }

    /** Two ring ports of this JVM wired crosswise. */
    private static final class RingLink {
        final int number;
        final String name;
        final String portA;
        final String portB;
        final DpdkPort[] ports = new DpdkPort[2];
        /** The ends' devices once started, guarded by this link. */
        final DpdkDevice[] devices = new DpdkDevice[2];

        private RingLink(int number, String name, String portA, String portB, int a, int b) {
            this.number = number;
            this.name = name;
            this.portA = portA;
            this.portB = portB;
            ports[0] = DpdkPort.created(a, "ring link " + name + " end a");
            ports[1] = DpdkPort.created(b, "ring link " + name + " end b");
        }

        static RingLink create(String name, int ringSize) {
            // port names are unique per pair: a link name can be used again once both ends closed
            int n = RING_PAIRS.incrementAndGet();
            String a = "net_ring_dmm" + n + "a";
            String b = "net_ring_dmm" + n + "b";
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment pa = arena.allocate(ValueLayout.JAVA_INT);
                MemorySegment pb = arena.allocate(ValueLayout.JAVA_INT);
                int ret = DpdkShim.ringPair(arena.allocateFrom(a), arena.allocateFrom(b), ringSize, pa, pb);
                if (ret != 0) {
                    throw new DpdkUnavailableException("ring link \"" + name + "\" could not be created: "
                            + DpdkShim.strerror(ret) + " (errno " + -ret + ")");
                }
                return new RingLink(n, name, a, b, pa.get(ValueLayout.JAVA_INT, 0), pb.get(ValueLayout.JAVA_INT, 0));
            }
        }

        /** Both ends closed: close any port never started, then free the rings. */
        void free() {
            ports[0].close();
            ports[1].close();
            try (Arena arena = Arena.ofConfined()) {
                DpdkShim.ringPairFree(arena.allocateFrom(portA), arena.allocateFrom(portB));
            }
        }
    }
}
