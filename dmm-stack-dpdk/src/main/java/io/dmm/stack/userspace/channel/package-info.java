/**
 * The NIO channels of a userspace stack instance, which DMM's routed channels delegate to:
 * {@link io.dmm.stack.userspace.channel.UserspaceSocketChannel},
 * {@link io.dmm.stack.userspace.channel.UserspaceServerSocketChannel} and
 * {@link io.dmm.stack.userspace.channel.UserspaceDatagramChannel} (IPv4; of family INET6 they are
 * dual-stack, talking IPv4 as a Linux INET6 socket does), with the JDK's semantics and exceptions,
 * and their java.net adaptors ({@code socket()}).
 *
 * <p>How they block without file descriptors: every engine call is made holding the instance's
 * {@link io.dmm.stack.userspace.StackLock} and never blocks. A thread that must wait records itself
 * in its channel's {@code ChannelSignal}, releases the lock, optionally spins
 * ({@link io.dmm.stack.userspace.channel.StackAccess#spinNanos()}), then parks (virtual threads
 * unmount). The engine schedules the signal when readiness may have changed; delivered after the
 * lock is released, it refreshes the channel's readiness snapshot, unparks the waiters and calls
 * DMM's {@link io.dmm.api.spi.ReadinessListener}. {@code readyOps()} reads the snapshot and never
 * takes the stack lock. Interrupts close the channel (ClosedByInterruptException), a close from
 * another thread wakes blocked threads (AsynchronousCloseException), as the JDK's channels do.
 *
 * <p>Timed operations for the adaptors and DMM: {@code read(ByteBuffer, long)},
 * {@code connect(SocketAddress, long)}, {@code accept(long)}, {@code receive(ByteBuffer, long)}.
 *
 * <p>Not supported by the userspace stack: IPv6 addresses proper, multicast ({@code join} and the IP_MULTICAST_*
 * options throw UnsupportedOperationException), sending urgent data. SO_OOBINLINE is
 * stored only: urgent bytes that arrive are always delivered inline (RFC 6093).
 * IP_TOS is accepted and reported but not put on the wire.
 */
package io.dmm.stack.userspace.channel;
