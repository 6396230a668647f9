/**
 * The running side of a policy: {@link io.dmm.core.runtime.StackRegistry} builds every declared
 * stack instance through its type's {@link io.dmm.api.spi.StackProvider} (all or nothing),
 * {@link io.dmm.core.runtime.Router} turns a socket's description into a decision (RouteKey from
 * protocol, role, addresses, hints, {@code -Ddmm.app} and — only when the policy matches on it —
 * the opening class found with StackWalker), and {@link io.dmm.core.runtime.DmmRuntime} ties them
 * together (it is the channels' {@link io.dmm.core.routing.RoutingContext}; it has them opened by the
 * {@link io.dmm.core.routing.ChannelOpener} it finds, never naming a channel class) and reports
 * counters. {@link io.dmm.core.runtime.GlobalRuntimeBinding} is what {@link io.dmm.api.DmmSockets} finds with ServiceLoader: it builds the JVM-wide runtime from
 * {@code PolicyLoader.fromSystem()} at the first DMM call, so a bad policy fails that call with its
 * DmmConfigException (and the next call tries again).
 */
package io.dmm.core.runtime;
