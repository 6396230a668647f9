package io.dmm.core.channel;

import io.dmm.core.testsupport.TestPolicy;
import io.dmm.core.testsupport.TestStacks;

/**
 * The channel behaviour suite against DMM's routed channels on a userspace stack instance (loopback
 * device owning 127.0.0.1/8; IPv6, which it does not carry, on a kernel instance): the same assertions the JDK's own channels pass.
 */
class RoutedUserspaceChannelBehaviourTest extends RoutedChannelBehaviourTest {
    @Override
    protected TestPolicy policy() {
        return TestStacks.userspaceWithKernelForIpv6();
    }

    /** A userspace stack's ports are its own: a client's bind waits for connect. */
    @Override
    protected boolean clientBindsAtOnce() {
        return false;
    }
}
