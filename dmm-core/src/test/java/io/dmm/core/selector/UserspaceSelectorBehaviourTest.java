package io.dmm.core.selector;

import io.dmm.core.testsupport.TestPolicy;
import io.dmm.core.testsupport.TestStacks;

/**
 * The selector suite with every channel on a userspace stack instance (loopback device, 127.0.0.1/8; IPv6 on a kernel instance):
 * readiness comes from the userspace TCP engine through the ReadinessSource hook and must behave as
 * the JDK's epoll does.
 */
class UserspaceSelectorBehaviourTest extends DmmSelectorBehaviourTest {
    @Override
    protected TestPolicy policy() {
        return TestStacks.userspaceWithKernelForIpv6();
    }
}
