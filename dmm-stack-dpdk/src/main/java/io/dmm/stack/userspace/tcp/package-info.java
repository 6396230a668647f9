/**
 * TCP for the userspace stack (RFC 9293 with RFC 5961, 7323, 2018/6675, 5681/6582, 6298, 6528).
 *
 * <p>{@link io.dmm.stack.userspace.tcp.TcpStack} demultiplexes segments (exact 4-tuple in a
 * {@code ConnectionTable}, then listeners: exact address before wildcard, else a RST), owns the
 * port space ({@code PortTable}) and the timers: one intrusive min-heap ({@code TimerHeap}) of
 * connections keyed by their earliest deadline, so idle connections cost nothing per poll.
 * {@link io.dmm.stack.userspace.tcp.TcpConnection} is the TCB: segment arrival follows
 * RFC 9293 §3.10.7 step by step, the sender is one output loop bounded by min(cwnd, peer window)
 * in flight with Nagle and sender SWS avoidance; retransmission, persist, delayed ACK, keepalive,
 * TIME_WAIT and transmit-retry are deadline fields of the connection. Buffers are allocated on
 * first use and released in TIME_WAIT. Everything runs under the stack's lock, allocation-free
 * per segment (one reused {@link io.dmm.stack.userspace.wire.TcpHeader} flyweight for each
 * direction and scratch arrays for SACK blocks).
 */
package io.dmm.stack.userspace.tcp;
