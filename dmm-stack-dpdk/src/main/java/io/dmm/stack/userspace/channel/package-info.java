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
 * <p>The asynchronous channels ({@link io.dmm.stack.userspace.channel.UserspaceAsynchronousSocketChannel},
 * {@link io.dmm.stack.userspace.channel.UserspaceAsynchronousServerSocketChannel}) are faces over
 * the same channels in non-blocking mode: their pending operations ({@code AsyncOperation}) listen
 * to the same signal, which hands them to the group's threads
 * ({@link io.dmm.api.spi.AsynchronousGroup}); no thread waits for a socket.
 *
 * <p>Timed operations for the adaptors and DMM: {@code read(ByteBuffer, long)},
 * {@code connect(SocketAddress, long)}, {@code accept(long)}, {@code receive(ByteBuffer, long)}.
 *
 * <p>The TCP channels offer the JDK's TCP options on Linux ({@link io.dmm.stack.userspace.channel.TcpChannelOptions}),
 * urgent data and SO_OOBINLINE as Linux handles them. TCP and datagram channels take SO_REUSEPORT
 * with Linux's semantics.
 *
 * <p>IPv4 multicast: a datagram channel's {@code join} returns
 * {@link java.nio.channels.MembershipKey}s with the JDK's rules ({@code MembershipKeys}), and
 * IP_MULTICAST_IF/TTL/LOOP, IP_TOS and SO_BROADCAST act on what it sends.
 *
 * <p>Not supported by the userspace stack: IPv6 addresses proper.
 */
package io.dmm.stack.userspace.channel;
