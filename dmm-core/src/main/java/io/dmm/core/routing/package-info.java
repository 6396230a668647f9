/**
 * What routed channels and the runtime share, below both: a routing {@link io.dmm.core.routing.Decision}
 * and the {@link io.dmm.core.routing.StackHandle}s it names, the {@link io.dmm.core.routing.SocketTable}
 * every routed channel registers in, what a channel says about its routing
 * ({@link io.dmm.core.routing.RoutedChannel}), and the two interfaces that keep the runtime and the
 * channels apart: {@link io.dmm.core.routing.RoutingContext} (what a channel needs of its runtime)
 * and {@link io.dmm.core.routing.ChannelOpener} (how the runtime has its channels opened without
 * naming them). Channels depend on this package, never on {@code io.dmm.core.runtime}; the runtime
 * never depends on the channels.
 */
package io.dmm.core.routing;
