/**
 * java.net sockets routed by DMM: {@link io.dmm.core.net.DmmSocketFactories#install()} installs the
 * JDK's three SocketImpl factories, so that {@code Socket}, {@code ServerSocket},
 * {@code DatagramSocket} and {@code MulticastSocket} (and what is built on them: TLS sockets,
 * HttpURLConnection, JDBC drivers...) run on DMM's routed channels.
 *
 * <ul>
 *   <li>{@link io.dmm.core.net.DmmSocketImpl}: a client socket over a RoutedSocketChannel, routed at connect.</li>
 *   <li>{@link io.dmm.core.net.DmmServerSocketImpl}: a server socket over a RoutedServerSocketChannel,
 *       routed at bind, accepting into DmmSocketImpls.</li>
 *   <li>{@link io.dmm.core.net.DmmDatagramSocketImpl}: a datagram socket over a RoutedDatagramChannel
 *       (with a factory installed the JDK runs DatagramSocket on java.net.NetMulticastSocket over it).</li>
 * </ul>
 *
 * The impls do no I/O of their own: they map the SocketImpl protocol onto the routed channels'
 * socket adaptors, so every blocking call ends in a JDK channel (virtual threads park, never pin),
 * and they reproduce sun.nio.ch.NioSocketImpl's state checks, exceptions and interrupt behaviour.
 * The differences that remain are listed in docs/drop-in.md.
 */
package io.dmm.core.net;
