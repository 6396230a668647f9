package io.dmm.core.channel;

import io.dmm.core.testsupport.TestPolicy;
import io.dmm.core.testsupport.TestStacks;

/**
 * The asynchronous behaviour suite against DMM's routed channels on a userspace stack instance
 * (loopback device owning 127.0.0.1/8): the same assertions the JDK's own asynchronous channels
 * pass, with completion handlers on the group's threads and readiness from the stack.
 */
class RoutedUserspaceAsyncChannelBehaviourTest extends RoutedAsyncChannelBehaviourTest {
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
