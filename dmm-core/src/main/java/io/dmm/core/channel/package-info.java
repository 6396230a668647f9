/**
 * DMM's routed channels: {@link io.dmm.core.channel.RoutedSocketChannel},
 * {@link io.dmm.core.channel.RoutedServerSocketChannel} and
 * {@link io.dmm.core.channel.RoutedDatagramChannel}, their {@code socket()} adaptors, and
 * {@link io.dmm.core.channel.RoutedChannelProvider}, the SelectorProvider they report.
 *
 * <h2>Faces over one core</h2>
 * Each routed channel is a face: it keeps what is its own (the JDK class it extends, the moment it
 * routes, its begin()/end(), which only a subclass can call, and its hot path) and composes shared
 * pieces for the rest: {@code StackRoute} decides and {@code Candidates} lists the usable stacks,
 * {@code Fallback} walks them and combines failures, a {@code Leg} holds a stack's channel and is
 * released once, {@code RoutedOptions} answers for the options before routing and forwards them
 * after, {@code DelegateClosed} closes a face whose stack channel an interrupt closed, and
 * {@link io.dmm.core.channel.SocketRows} builds the socket table's rows.
 *
 * <h2>Lazy routing</h2>
 * A routed channel has no stack until the first operation that needs one:
 * <ul>
 *   <li>TCP client: {@code connect} (key: remote address/port; source: the address the program
 *       bound, if any). A {@code bind} before connect does not route: the OS holds the bound
 *       address until the stack's channel binds it at connect ({@code PendingBind}),
 *       for a wildcard port 0 always, for any other address when every stack of the policy shares
 *       the OS's port space, so bind errors come at bind as the JDK's. Otherwise it is deferred:
 *       {@code getLocalAddress()} returns the requested address (port 0 stays 0), and bind errors
 *       (e.g. an address not on this host) surface at connect, which then fails and closes the
 *       channel as any failed connect does.</li>
 *   <li>TCP server: {@code bind} (key: bound address/port, role server).</li>
 *   <li>UDP: {@code bind} → receiver (key: bound address); {@code connect} or {@code send} →
 *       sender (key: remote); {@code receive} or {@code join} before any of those → receiver with
 *       no address.</li>
 * </ul>
 * Options and the blocking mode set before routing are remembered, in the order set (a value set
 * again moves to the end), and replayed on the stack's channel. Before routing, {@code getOption}
 * returns the value set, else the JDK's default for that channel type (read once from a throwaway
 * platform channel); {@code supportedOptions()} is the JDK's set. Values are checked as the JDK
 * checks them (null, type, negative buffer sizes, IP_TOS range); other errors surface at routing.
 *
 * <h2>Fallback</h2>
 * For clients and senders the route's stacks are a fallback order: DOWN instances and instances
 * that do not support the protocol/family are skipped; when a connect fails (or the stack's channel
 * cannot be opened, configured or bound), that channel is closed and the next stack is tried with
 * the same options and bind. The last failure is thrown with the earlier ones suppressed, and the
 * channel is closed (as the JDK closes a channel whose connect failed). A non-blocking connect
 * whose {@code finishConnect} fails starts a connect on the next stack and returns false. No usable
 * stack at all is a {@link java.net.NoRouteToHostException} naming why each was unusable.
 *
 * <h2>Servers</h2>
 * A wildcard bind with a route of several usable stacks listens on every one of them on the same
 * port (the first member's); kernel members get SO_REUSEPORT when there are two or more, since they
 * share one kernel. Such members stay non-blocking and are registered with a private JDK Selector
 * used only inside the server to wait in a blocking accept (members of fd-less stacks wake it
 * through their ReadinessSource listener instead); accept takes members round-robin. A
 * specific address, or a single usable stack, gives one member and accept delegates directly.
 * Accepted channels are routed channels attached to the accepting stack (counted there).
 *
 * <h2>Blocking, close and interrupt</h2>
 * Every potentially blocking delegate call runs inside this channel's own begin()/end(); closing a
 * routed channel closes its delegate; a delegate that ends up closed (interrupt, asynchronous close)
 * closes the routed channel too. Blocking waits happen in JDK channels and selectors only, so
 * virtual threads park instead of pinning their carrier. The hot path (read/write) takes no lock
 * and allocates nothing beyond the delegate; bytes are counted per stack (LongAdder) and per socket
 * (an opaque write to the socket's table entry).
 *
 * <h2>Socket table</h2>
 * Every routed channel (opened, accepted, asynchronous or inherited) registers in its runtime's
 * {@link io.dmm.core.routing.SocketTable} in its constructor and unregisters in its close, which runs
 * once however it is closed (close(), an interrupt, an asynchronous close, a failed connect). Its row
 * ({@link io.dmm.core.routing.RoutedChannel#socketInfo()}; kinds and states in
 * {@link io.dmm.core.channel.SocketRows}) is built from volatile fields and the stack channel's own
 * state, never under a lock that blocking I/O holds.
 *
 * <h2>Selectors</h2>
 * {@link io.dmm.core.channel.RoutedChannelProvider#openSelector()} returns a
 * {@link io.dmm.core.selector.DmmSelector}, which holds routed channels of every stack. Routed
 * channels implement {@link io.dmm.core.selector.DelegatingChannel}: they publish their delegates
 * only once set up and call {@code channelKeys().delegatesChanged()} when routed (and on connect
 * fallback), so a channel registered before routing keeps its key. Before routing a channel can
 * still be ready: an unrouted datagram channel is writable at once, as the JDK's unbound one
 * ({@link io.dmm.core.selector.DelegatingChannel#readyOpsBeforeRouting()}).
 */
package io.dmm.core.channel;
