/**
 * The userspace TCP/IP stack (stack type {@code userspace}): Ethernet, ARP, IPv4, ICMP, UDP and
 * TCP in Java, on in-memory devices and on DPDK ports through the FFM API. This module is empty
 * until that work lands; it exists so the build, the agent jar and the documentation already have
 * its place.
 */
package io.dmm.stack.dpdk;
