/**
 * The optional HTTP/JSON orchestration endpoint ({@code management.http} in the policy): read the
 * policy status, stacks, rules, sockets and counters, push a whole policy, drain and undrain stacks,
 * and scrape the counters in Prometheus text format. Every request carries a bearer token.
 *
 * <p>The server is DMM's own small HTTP/1.1 server on the JDK's channels ({@code PlatformChannels}),
 * not {@code com.sun.net.httpserver}: that one opens its listener with
 * {@code ServerSocketChannel.open()} and {@code Selector.open()}, which, once DMM is the system
 * SelectorProvider (the java agent), return channels routed by DMM's own policy — the management
 * endpoint would then follow the policy it manages. One request per connection, one virtual thread
 * per connection, strict limits on head and body sizes and on time.
 */
package io.dmm.management.http;
