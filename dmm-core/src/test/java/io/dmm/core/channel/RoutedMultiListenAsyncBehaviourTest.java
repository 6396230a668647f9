package io.dmm.core.channel;

import io.dmm.api.Role;
import io.dmm.core.testsupport.TestPolicy;
import java.net.InetSocketAddress;

/**
 * The asynchronous behaviour suite with servers listening on two kernel instances (wildcard bind,
 * route of two stacks): accepts are served by whichever member a connection arrives on.
 */
class RoutedMultiListenAsyncBehaviourTest extends RoutedAsyncChannelBehaviourTest {
    @Override
    protected TestPolicy policy() {
        return new TestPolicy().kernel("k1").kernel("k2")
                .rule(k -> k.role() == Role.SERVER, "k1", "k2")
                .defaults("k1");
    }

    @Override
    protected InetSocketAddress serverBindAddress() {
        return new InetSocketAddress(0);
    }
}
