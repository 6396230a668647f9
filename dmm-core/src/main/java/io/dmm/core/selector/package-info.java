/**
 * DMM's Selector spanning all stacks: {@link io.dmm.core.selector.DmmSelector} (what
 * {@code RoutedChannelProvider.openSelector()} and so {@code Selector.open()} return once DMM is the
 * system provider), its keys {@link io.dmm.core.selector.DmmSelectionKey}, and the hook routed
 * channels use, {@link io.dmm.core.selector.DelegatingChannel} /
 * {@link io.dmm.core.selector.ChannelKeys}.
 *
 * <h2>Two kinds of delegate, one select</h2>
 * <ul>
 *   <li><b>Platform (kernel) delegates</b> are registered with an inner JDK selector opened from the
 *       platform provider, attached to the routed channel's outer key. A raw JDK channel is never
 *       registered with a non-JDK selector: only the JDK's selector frees a closed, registered
 *       channel's file descriptor ({@code SelChImpl.kill()}), so doing otherwise leaks one descriptor
 *       per close.</li>
 *   <li><b>fd-less delegates</b> (userspace stacks) implement {@link io.dmm.api.spi.ReadinessSource}:
 *       their listener (the routed channel's {@code ChannelKeys}) queues the key with every DMM
 *       selector holding it and wakes the inner selector if a select is blocked. A select looks at
 *       queued keys and at the fd-less keys found ready last time, so they are level-triggered as the
 *       JDK's; cost per select is the number of active fd-less keys, not of registered ones.</li>
 * </ul>
 * A select blocks only inside the inner JDK select (so virtual threads park there, JDK 25), then
 * reports the union by the JDK's rules ({@code SelectorImpl.processReadyEvents}): the selected-key
 * set only grows; a key already in it gets the new ready operations OR'ed and counts only if one
 * is new; {@code select(Consumer)} leaves the set alone and sets readyOps before each call.
 *
 * <h2>Timeouts and wakeups</h2>
 * {@code wakeup()} sets a flag and wakes the inner selector; a readiness signal only wakes it. So
 * {@code select(timeout)} returns before its timeout only for a wakeup, an interrupt or readiness:
 * after a readiness signal for a key that turns out not ready (or a stale inner wakeup) it waits
 * again for the time left. Frameworks depend on this (Netty rebuilds a selector after 512 early
 * empty returns). A key that is ready but already selected with the same operations makes select
 * return 0 at once, as on the JDK.
 *
 * <h2>Lazy routing</h2>
 * A routed channel can be registered before it is routed: its key then has nothing beneath it and
 * is never selected. When the channel is routed (connect, bind, send, or a connect falling back to
 * another stack) it calls {@link io.dmm.core.selector.ChannelKeys#delegatesChanged()}, and each key
 * registers the new delegates with its selector using the key's current interest set; the key,
 * interest set and attachment the program holds do not change. A key adds itself to the channel's
 * {@code ChannelKeys} before reading the delegates and the channel publishes its delegates before
 * calling the hook, so a registration racing with routing is not lost. Accepted channels are born
 * routed. A stack channel that is neither a platform channel nor a {@code ReadinessSource} cannot be
 * selected: registering it throws {@link java.nio.channels.IllegalSelectorException}, and a connect
 * on such a stack while registered counts as that stack failing (fallback moves on).
 *
 * <h2>Cancel and close</h2>
 * Cancelling a key (from any thread, as Jetty does) only queues it, as the JDK does. The next select
 * takes it out of the key sets and cancels its inner keys; the inner select that follows
 * deregisters those, which frees a closed delegate's descriptor (only the JDK's own selector calls
 * {@code SelChImpl.kill()}); only then is the key removed from the routed channel, so a channel
 * that is no longer registered has no delegate registered either and can be registered again at
 * once. Keys cancelled during a select get one more non-blocking inner select before it returns.
 * Closing the selector wakes a select, waits for it, closes the inner selector (deregistering every
 * inner key), then deregisters every key. Closing a routed channel closes its delegate, which the
 * JDK defers while the delegate is registered: the descriptor is freed, and the peer sees the close,
 * at the next select, exactly as with a JDK channel in a JDK selector.
 *
 * <h2>The JDK's own channels</h2>
 * A channel that is not a routed one (a {@code Pipe}, which {@code Pipe.open()} gives unchanged, a
 * UNIX-domain channel, an inherited channel DMM left as the JDK's) is registered as it is with the
 * inner selector: its key has one inner key, on the channel itself, and the inner selector refuses
 * with {@link java.nio.channels.IllegalSelectorException} what the JDK's selector refuses. Such a
 * channel is also registered with a JDK selector of its own, never selected and closed after the
 * key left the channel, so that a JDK selector lets go of the channel last and frees its descriptor
 * when it was closed while registered (see {@code DmmSelectionKey.holdChannel}); this costs a
 * selector's two descriptors per registration.
 *
 * <h2>Differences from the JDK</h2>
 * An unrouted channel has no socket, so it is never selected; a JDK SocketChannel registered before
 * connect, or a server before bind, is reported at once with its interest set (the kernel reports
 * hang-up for such a socket, so a JDK program doing this spins; none depends on it).
 * {@code FileChannel.transferTo} to a routed channel copies (sendfile needs a JDK channel).
 * A JDK channel (a pipe) whose key was cancelled cannot be put in blocking mode until the next select
 * deregistered the key: its keys with the inner and holding selectors are still valid until then,
 * and nothing tells DMM's selector of a cancel before its next select (the JDK allows blocking mode
 * once every key is cancelled; a routed channel does it as the JDK does).
 */
package io.dmm.core.selector;
