/**
 * Flyweight views that parse and emit protocol headers in place over
 * {@link java.lang.foreign.MemorySegment}s: wrap a view over (memory, offset, length), check it
 * (every check reads only within the length it was given, so hostile bytes are reported, never
 * thrown), then read or write fields. Views are reused per packet, so the fast path allocates
 * nothing. Addresses are primitives: IPv4 in an {@code int}
 * ({@link io.dmm.stack.userspace.wire.Ipv4Address}), MAC in the low 48 bits of a {@code long}
 * ({@link io.dmm.stack.userspace.wire.MacAddress}). All fields are big-endian
 * ({@link io.dmm.stack.userspace.wire.NetworkOrder}).
 */
package io.dmm.stack.userspace.wire;
