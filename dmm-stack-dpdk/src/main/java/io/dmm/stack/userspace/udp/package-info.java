/**
 * UDP: {@link io.dmm.stack.userspace.udp.UdpStack} (port table with SO_REUSEADDR rules, ephemeral
 * ports, demultiplexing, checksums, ICMP port unreachable) and
 * {@link io.dmm.stack.userspace.udp.UdpSocket} (an off-heap receive queue bounded by bytes, sends
 * written in place into the interface's packet buffer), with {@link io.dmm.stack.userspace.udp.Memberships}
 * deciding which sockets hear a multicast datagram. Everything runs under the stack's lock.
 */
package io.dmm.stack.userspace.udp;
