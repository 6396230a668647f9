package io.dmm.stack.userspace;

import io.dmm.stack.userspace.config.DeviceSpec;
import io.dmm.stack.userspace.config.FaultSpec;
import io.dmm.stack.userspace.dpdk.DpdkDevices;
import io.dmm.stack.userspace.phy.Device;
import io.dmm.stack.userspace.phy.DevicePair;
import io.dmm.stack.userspace.phy.FaultInjector;
import io.dmm.stack.userspace.phy.FaultPlan;
import io.dmm.stack.userspace.phy.ForwardingDevice;
import io.dmm.stack.userspace.phy.LoopbackDevice;
import io.dmm.stack.userspace.phy.PcapWriter;
import io.dmm.stack.userspace.time.Clock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds an instance's device chain from its {@link DeviceSpec}: the driver's device, wrapped by the
 * fault injector, wrapped by the pcap writer — so the capture shows what the stack itself sent
 * (before the injected loss) and what reached it.
 */
final class Devices {
    /** Pair links of this JVM by name: the first instance naming a link gets end a, the second end b. */
    private static final Map<String, Link> LINKS = new HashMap<>();

    private Devices() {}

    /**
     * The opened chain. {@code inlineRx}: frames sent come back to this instance (loopback), so an
     * application call can process them itself before it releases the lock. {@code faults} is the
     * injector if any (its held frames have due times the poll loop must honour).
     */
    record Opened(Device device, boolean inlineRx, FaultInjector faults, boolean dpdk) {}

    static Opened open(String instance, DeviceSpec spec, Clock clock) {
        Device base = switch (spec.driver()) {
            case DeviceSpec.LOOPBACK -> new LoopbackDevice(instance + ".lo", spec.mtu(), spec.slots(),
                    spec.mac() != 0 ? spec.mac() : macFor(instance));
            case DeviceSpec.PAIR -> claimPairEnd(instance, spec);
            case DeviceSpec.DPDK -> DpdkDevices.open(instance, spec);
            default -> throw new IllegalArgumentException("unknown device driver " + spec.driver());
        };
        Device device = base;
        FaultInjector injector = null;
        try {
            if (spec.faults() != null) {
                injector = new FaultInjector(base, plan(spec.faults()), clock);
                device = injector;
            }
            if (spec.pcap() != null) {
                device = new PcapWriter(device, spec.pcap(), clock);
            }
        } catch (IOException e) {
            device.close();
            throw new UncheckedIOException("cannot open the pcap file " + spec.pcap() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            device.close();
            throw e;
        }
        return new Opened(device, spec.driver().equals(DeviceSpec.LOOPBACK), injector, spec.driver().equals(DeviceSpec.DPDK));
    }

    static FaultPlan plan(FaultSpec f) {
        FaultPlan.Builder b = FaultPlan.builder().seed(f.seed()).loss(f.loss()).duplication(f.duplicate())
                .corruption(f.corrupt()).delay(f.delayNanos(), f.jitterNanos()).applyToReceive(f.ingress());
        if (f.reorder() > 0) b.reorder(f.reorder(), 3);
        if (f.rateBytesPerSecond() > 0) b.rateLimit(f.rateBytesPerSecond(), 0);
        return b.build();
    }

    /** A locally administered unicast MAC (02:xx:..) from the instance name, stable across runs. */
    static long macFor(String instance) {
        long h = instance.hashCode() & 0xFFFF_FFFFL;
        return 0x02_00_00_00_00_00L | h << 4 & 0x00FF_FFFF_FF00L | 0x01;
    }

    private static synchronized Device claimPairEnd(String instance, DeviceSpec spec) {
        Link link = LINKS.get(spec.link());
        if (link == null) {
            link = new Link(spec.link(), DevicePair.create(spec.mtu(), spec.slots()), spec.mtu());
            LINKS.put(spec.link(), link);
        }
        if (link.mtu != spec.mtu()) {
            throw new IllegalArgumentException("link \"" + spec.link() + "\" has MTU " + link.mtu + " on instance "
                    + link.owner[0] + " but " + spec.mtu() + " on " + instance + "; both ends need the same MTU");
        }
        int end = link.owner[0] == null ? 0 : link.owner[1] == null ? 1 : -1;
        if (end < 0) {
            throw new IllegalArgumentException("link \"" + spec.link() + "\" already connects " + link.owner[0] + " and "
                    + link.owner[1] + "; a pair link has two ends");
        }
        link.owner[end] = instance;
        Device d = end == 0 ? link.pair.a() : link.pair.b();
        return new ReleasingEnd(d, link, end);
    }

    private static synchronized void release(Link link, int end) {
        link.owner[end] = null;
        if (link.owner[0] == null && link.owner[1] == null && LINKS.get(link.name) == link) {
            LINKS.remove(link.name);
            link.pair.close();
        }
    }

    private static final class Link {
        final String name;
        final DevicePair pair;
        final int mtu;
        final String[] owner = new String[2];

        Link(String name, DevicePair pair, int mtu) {
            this.name = name;
            this.pair = pair;
            this.mtu = mtu;
        }
    }

    /** A pair end that gives its place on the link back when its instance closes. */
    private static final class ReleasingEnd extends ForwardingDevice {
        private final Link link;
        private final int end;
        private boolean closed;

        ReleasingEnd(Device inner, Link link, int end) {
            super(inner);
            this.link = link;
            this.end = end;
        }

        @Override
        public void close() {
            if (closed) return;
            closed = true;
            release(link, end);
        }
    }
}
