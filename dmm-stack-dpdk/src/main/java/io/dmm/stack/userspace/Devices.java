package io.dmm.stack.userspace;

import io.dmm.stack.userspace.config.DeviceSpec;
import io.dmm.stack.userspace.config.FaultSpec;
import io.dmm.stack.userspace.dpdk.DpdkDevices;
import io.dmm.stack.userspace.phy.Device;
import io.dmm.stack.userspace.phy.DevicePair;
import io.dmm.stack.userspace.phy.FaultInjector;
import io.dmm.stack.userspace.phy.FaultPlan;
import io.dmm.stack.userspace.phy.ForwardingDevice;
import io.dmm.stack.userspace.phy.LinkEnds;
import io.dmm.stack.userspace.phy.LoopbackDevice;
import io.dmm.stack.userspace.phy.PcapWriter;
import io.dmm.stack.userspace.tap.TapDevice;
import io.dmm.stack.userspace.time.Clock;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Builds an instance's device chain from its {@link DeviceSpec}: the driver's device, wrapped by the
 * fault injector, wrapped by the pcap writer — so the capture shows what the stack itself sent
 * (before the injected loss) and what reached it.
 */
final class Devices {
    /** Pair links of this JVM by name: the first instance naming a link gets end a, the second end b. */
    private static final LinkEnds<DevicePair> PAIRS = new LinkEnds<>("pair link");

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
            case DeviceSpec.TAP -> TapDevice.open(instance, spec.iface(), spec.mtu(),
                    spec.mac() != 0 ? spec.mac() : macFor(instance));
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

    private static Device claimPairEnd(String instance, DeviceSpec spec) {
        LinkEnds.Claim<DevicePair> claim = PAIRS.claim(spec.link(), instance, spec.mtu(),
                () -> DevicePair.create(spec.mtu(), spec.slots()));
        DevicePair pair = claim.link();
        return new ReleasingEnd(claim.end() == 0 ? pair.a() : pair.b(), spec.link(), pair, claim.end());
    }

    /** A pair end that gives its place on the link back when its instance closes; the last closes the pair. */
    private static final class ReleasingEnd extends ForwardingDevice {
        private final String name;
        private final DevicePair pair;
        private final int end;
        private boolean closed;

        ReleasingEnd(Device inner, String name, DevicePair pair, int end) {
            super(inner);
            this.name = name;
            this.pair = pair;
            this.end = end;
        }

        @Override
        public void close() {
            if (closed) return;
            closed = true;
            if (PAIRS.release(name, pair, end)) pair.close();
        }
    }
}
