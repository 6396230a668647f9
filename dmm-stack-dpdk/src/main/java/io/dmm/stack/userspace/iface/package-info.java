/**
 * The IPv4 interface of the userspace stack: {@link io.dmm.stack.userspace.iface.Ipv4Interface}
 * takes frames from a device (ARP, IPv4 validation, ICMP, fragment reassembly, dispatch to the
 * transports through {@link io.dmm.stack.userspace.iface.TransportHandler}) and gives the
 * transports their way out ({@link io.dmm.stack.userspace.iface.Egress}: routing to a next hop,
 * ARP resolution with queueing, internal loopback for our own addresses). Hosts only: nothing is
 * forwarded. Configured by {@link io.dmm.stack.userspace.iface.InterfaceConfig}. Multicast:
 * {@link io.dmm.stack.userspace.iface.MulticastGroups} holds the groups the sockets joined (their
 * {@link io.dmm.stack.userspace.iface.SourceFilter}s merged per group) and is the IGMP host.
 */
package io.dmm.stack.userspace.iface;
