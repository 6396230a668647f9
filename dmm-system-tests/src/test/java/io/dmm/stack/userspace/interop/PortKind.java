package io.dmm.stack.userspace.interop;

/** The two DPDK virtual devices that put a kernel interface at the other end of a userspace stack. */
enum PortKind {
    /** net_tap: DPDK makes a tap interface; the test moves it into the namespace. */
    TAP,
    /** net_af_packet on the JVM's end of a veth pair whose other end is in the namespace. */
    AF_PACKET
}
