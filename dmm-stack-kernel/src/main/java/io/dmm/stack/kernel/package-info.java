/**
 * Stack type {@code "kernel"}: the operating system's TCP/IP stack through the JDK's own NIO
 * channels, with per-instance default socket options and source address. Settings:
 * <pre>{@code
 * { "name": "lowlat", "type": "kernel",
 *   "options": { "TCP_NODELAY": true, "SO_SNDBUF": 262144, "TCP_KEEPIDLE": 30 },
 *   "source": "10.0.0.5" }
 * }</pre>
 * Options are named as {@link java.net.SocketOption#name()} (SO_SNDBUF, SO_RCVBUF, TCP_NODELAY,
 * SO_KEEPALIVE, SO_REUSEADDR, SO_REUSEPORT, SO_LINGER, IP_TOS, SO_BROADCAST, IP_MULTICAST_TTL,
 * IP_MULTICAST_LOOP, TCP_KEEPIDLE, TCP_KEEPINTERVAL, TCP_KEEPCOUNT, TCP_QUICKACK) and applied to
 * each channel the instance opens that supports them. {@code source} must be an IP literal (no DNS
 * at load time).
 */
package io.dmm.stack.kernel;
