package io.dmm.stack.userspace.config;

import io.dmm.stack.userspace.iface.Ipv4Cidr;
import io.dmm.stack.userspace.tcp.TcpConfig;
import java.util.List;

/**
 * One userspace stack instance as its policy entry describes it (validated).
 *
 * @param addresses    interface addresses, the first is the primary (source of unbound sockets)
 * @param gateway      default gateway, 0 for none
 * @param idle         the poll loop's idle strategy: {@code adaptive}, {@code busy-spin}, {@code backoff} or {@code park}
 * @param spinNanos    how long a socket call spins before it parks
 * @param busyPollNanos how long an {@code adaptive} poll loop polls busily after the last work before it backs off
 * @param udpReceiveBuffer default UDP receive queue in bytes
 * @param shards       how many shards (each a lock, a poll loop, timers and a connection table) the
 *                     instance spreads its TCP flows over
 */
public record UserspaceConfig(String name, List<Ipv4Cidr> addresses, int gateway, DeviceSpec device,
                              String idle, long spinNanos, long busyPollNanos, TcpConfig tcp, int udpReceiveBuffer,
                              int shards) {
}
