package io.dmm.core.channel;

import io.dmm.api.Role;
import io.dmm.core.testsupport.TestPolicy;
import java.net.InetSocketAddress;

/**
 * The behaviour suite with servers listening on two kernel instances (wildcard bind, route of two
 * stacks): accept waits on both members through the server's private selector.
 */
class RoutedMultiListenBehaviourTest extends RoutedChannelBehaviourTest {
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

    /** DMM sets SO_REUSEPORT on the kernel members of every server here (see SharedPortListen). */
    @Override
    protected boolean aServerWithoutReusePortIsRefusedASharedPort() {
        return false;
    }
}
