/**
 * DMM's userspace TCP/IP stack in pure Java (stack type {@code "userspace"}), layered as smoltcp is:
 * <ul>
 *   <li>{@link io.dmm.stack.userspace.phy}: devices that move Ethernet frames (loopback, a wired
 *       pair, fault injection, pcap capture; DPDK ports later).</li>
 *   <li>{@link io.dmm.stack.userspace.wire}: flyweight views that parse and emit each header over
 *       {@link java.lang.foreign.MemorySegment}, and checksums.</li>
 *   <li>{@link io.dmm.stack.userspace.iface}: the IPv4 interface: ARP, addresses, routes, ICMP,
 *       fragments; dispatches to transports.</li>
 *   <li>{@link io.dmm.stack.userspace.tcp} and {@link io.dmm.stack.userspace.udp}: the transports.</li>
 *   <li>{@link io.dmm.stack.userspace.channel}: the NIO channels DMM routes sockets to.</li>
 * </ul>
 * One instance runs one poll loop thread; all protocol state of an instance is guarded by its
 * {@link io.dmm.stack.userspace.StackLock}.
 */
package io.dmm.stack.userspace;
