package io.dmm.stack.userspace.iface;

import io.dmm.stack.userspace.wire.Ipv4Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How an {@link Ipv4Interface} is set up: its addresses, default gateway, and the limits that bound
 * its memory (ARP table and the frames waiting for ARP, fragment reassembly, internal loopback).
 * Immutable; built with {@link #builder()}, which validates everything at {@link Builder#build()}.
 */
public final class InterfaceConfig {
    private final List<Ipv4Cidr> addresses;
    private final int gateway;
    private final long arpEntryLifetimeNanos;
    private final long arpRetryIntervalNanos;
    private final int arpMaxRequests;
    private final int arpCacheSize;
    private final int pendingPerAddress;
    private final int pendingTotal;
    private final int defaultTtl;
    private final boolean reassembleFragments;
    private final long reassemblyTimeoutNanos;
    private final int reassemblySlots;
    private final int localQueueSize;
    private final boolean loopbackNet;
    private final int icmpErrorsPerSecond;
    private final int icmpErrorBurst;

    private InterfaceConfig(Builder b) {
        this.addresses = List.copyOf(b.addresses);
        this.gateway = b.gateway;
        this.arpEntryLifetimeNanos = b.arpEntryLifetime.toNanos();
        this.arpRetryIntervalNanos = b.arpRetryInterval.toNanos();
        this.arpMaxRequests = b.arpMaxRequests;
        this.arpCacheSize = b.arpCacheSize;
        this.pendingPerAddress = b.pendingPerAddress;
        this.pendingTotal = b.pendingTotal;
        this.defaultTtl = b.defaultTtl;
        this.reassembleFragments = b.reassembleFragments;
        this.reassemblyTimeoutNanos = b.reassemblyTimeout.toNanos();
        this.reassemblySlots = b.reassemblySlots;
        this.localQueueSize = b.localQueueSize;
        this.loopbackNet = b.loopbackNet;
        this.icmpErrorsPerSecond = b.icmpErrorsPerSecond;
        this.icmpErrorBurst = b.icmpErrorBurst;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The interface's addresses, the first being the primary (source of last resort). */
    public List<Ipv4Cidr> addresses() {
        return addresses;
    }

    /** The default gateway, 0 when there is none (only on-subnet destinations are reachable). */
    public int gateway() {
        return gateway;
    }

    public long arpEntryLifetimeNanos() {
        return arpEntryLifetimeNanos;
    }

    public long arpRetryIntervalNanos() {
        return arpRetryIntervalNanos;
    }

    public int arpMaxRequests() {
        return arpMaxRequests;
    }

    public int arpCacheSize() {
        return arpCacheSize;
    }

    public int pendingPerAddress() {
        return pendingPerAddress;
    }

    public int pendingTotal() {
        return pendingTotal;
    }

    public int defaultTtl() {
        return defaultTtl;
    }

    public boolean reassembleFragments() {
        return reassembleFragments;
    }

    public long reassemblyTimeoutNanos() {
        return reassemblyTimeoutNanos;
    }

    public int reassemblySlots() {
        return reassemblySlots;
    }

    public int localQueueSize() {
        return localQueueSize;
    }

    /** Whether 127.0.0.0/8 counts as local (looped back internally, as Linux's lo). */
    public boolean loopbackNet() {
        return loopbackNet;
    }

    /** The sustained rate of ICMP errors we send (unreachables, time exceeded); echo replies are not limited. */
    public int icmpErrorsPerSecond() {
        return icmpErrorsPerSecond;
    }

    /** How many ICMP errors may go out back to back before the rate applies. */
    public int icmpErrorBurst() {
        return icmpErrorBurst;
    }

    @Override
    public String toString() {
        return "InterfaceConfig" + addresses + (gateway == 0 ? "" : " via " + Ipv4Address.toString(gateway));
    }

    public static final class Builder {
        private final List<Ipv4Cidr> addresses = new ArrayList<>();
        private int gateway;
        private Duration arpEntryLifetime = Duration.ofSeconds(60);
        private Duration arpRetryInterval = Duration.ofSeconds(1);
        private int arpMaxRequests = 3;
        private int arpCacheSize = 64;
        private int pendingPerAddress = 16;
        private int pendingTotal = 64;
        private int defaultTtl = 64;
        private boolean reassembleFragments = true;
        private Duration reassemblyTimeout = Duration.ofSeconds(30);
        private int reassemblySlots = 4;
        private int localQueueSize = 64;
        private boolean loopbackNet;
        private int icmpErrorsPerSecond = 1000;  // Linux's icmp_msgs_per_sec and icmp_msgs_burst
        private int icmpErrorBurst = 50;

        private Builder() {}

        public Builder address(Ipv4Cidr cidr) {
            addresses.add(cidr);
            return this;
        }

        public Builder address(int ip, int prefixLength) {
            return address(new Ipv4Cidr(ip, prefixLength));
        }

        /** {@code a.b.c.d/n}. */
        public Builder address(String cidr) {
            return address(Ipv4Cidr.parse(cidr));
        }

        /** 0 for none. */
        public Builder gateway(int ip) {
            this.gateway = ip;
            return this;
        }

        public Builder gateway(String ip) {
            return gateway(Ipv4Address.parse(ip));
        }

        public Builder arpEntryLifetime(Duration d) {
            this.arpEntryLifetime = d;
            return this;
        }

        public Builder arpRetryInterval(Duration d) {
            this.arpRetryInterval = d;
            return this;
        }

        /** ARP requests sent for an address before the packets waiting for it are dropped. */
        public Builder arpMaxRequests(int n) {
            this.arpMaxRequests = n;
            return this;
        }

        public Builder arpCacheSize(int n) {
            this.arpCacheSize = n;
            return this;
        }

        /** Packets held per unresolved next hop. */
        public Builder pendingPerAddress(int n) {
            this.pendingPerAddress = n;
            return this;
        }

        /** Packets held for all unresolved next hops together (the size of the pending arena). */
        public Builder pendingTotal(int n) {
            this.pendingTotal = n;
            return this;
        }

        public Builder defaultTtl(int ttl) {
            this.defaultTtl = ttl;
            return this;
        }

        public Builder reassembleFragments(boolean on) {
            this.reassembleFragments = on;
            return this;
        }

        public Builder reassemblyTimeout(Duration d) {
            this.reassemblyTimeout = d;
            return this;
        }

        /** Datagrams reassembled at once; each slot takes 64 KiB, allocated on first use. */
        public Builder reassemblySlots(int n) {
            this.reassemblySlots = n;
            return this;
        }

        /** Packets to our own addresses waiting for delivery. */
        public Builder localQueueSize(int n) {
            this.localQueueSize = n;
            return this;
        }

        public Builder loopbackNet(boolean on) {
            this.loopbackNet = on;
            return this;
        }

        public Builder icmpErrorRate(int perSecond, int burst) {
            this.icmpErrorsPerSecond = perSecond;
            this.icmpErrorBurst = burst;
            return this;
        }

        public InterfaceConfig build() {
            if (addresses.isEmpty()) throw new IllegalArgumentException("an interface needs at least one address");
            for (int i = 0; i < addresses.size(); i++) {
                for (int j = 0; j < i; j++) {
                    if (addresses.get(i).address() == addresses.get(j).address()) {
                        throw new IllegalArgumentException("address given twice: " + addresses.get(i));
                    }
                }
            }
            if (gateway != 0) {
                boolean onLink = false;
                for (Ipv4Cidr c : addresses) onLink |= c.contains(gateway) && c.address() != gateway;
                if (!onLink) {
                    throw new IllegalArgumentException("gateway " + Ipv4Address.toString(gateway)
                            + " is not on a local subnet of " + addresses);
                }
            }
            positive("arpEntryLifetime", arpEntryLifetime);
            positive("arpRetryInterval", arpRetryInterval);
            positive("reassemblyTimeout", reassemblyTimeout);
            atLeast("arpMaxRequests", arpMaxRequests, 1);
            atLeast("arpCacheSize", arpCacheSize, 1);
            atLeast("pendingPerAddress", pendingPerAddress, 1);
            atLeast("pendingTotal", pendingTotal, 1);
            atLeast("reassemblySlots", reassemblySlots, 1);
            atLeast("localQueueSize", localQueueSize, 1);
            atLeast("icmpErrorsPerSecond", icmpErrorsPerSecond, 1);
            if (icmpErrorsPerSecond > 1_000_000_000) throw new IllegalArgumentException("icmpErrorsPerSecond too large: " + icmpErrorsPerSecond);
            atLeast("icmpErrorBurst", icmpErrorBurst, 1);
            if (defaultTtl < 1 || defaultTtl > 255) throw new IllegalArgumentException("defaultTtl must be 1..255: " + defaultTtl);
            return new InterfaceConfig(this);
        }

        private static void positive(String name, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive: " + d);
        }

        private static void atLeast(String name, int v, int min) {
            if (v < min) throw new IllegalArgumentException(name + " must be at least " + min + ": " + v);
        }
    }
}
