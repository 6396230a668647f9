package io.dmm.stack.userspace.interop;

/** The devices that put a kernel interface at the other end of a userspace stack. */
enum PortKind {
    /** DPDK's net_tap: DPDK makes a tap interface; the test moves it into the namespace. */
    TAP,
    /** DPDK's net_af_packet on the JVM's end of a veth pair whose other end is in the namespace. */
    AF_PACKET,
    /**
     * The stack's own "tap" driver: it opens /dev/net/tun itself (virtio-net headers, TSO and
     * checksum offload; no DPDK, no EAL); the test moves its interface into the namespace.
     */
    TAP_DRIVER
}
