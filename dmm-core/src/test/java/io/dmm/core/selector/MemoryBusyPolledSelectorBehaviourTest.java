package io.dmm.core.selector;

import io.dmm.core.testsupport.MemoryStackProvider;
import io.dmm.core.testsupport.TestPolicy;
import java.util.Map;

/**
 * The selector suite on a memory stack that offers a busy poller (as the userspace stack on a tap
 * or a DPDK port does): every select that would sleep polls first, and must still behave as the
 * JDK's epoll does.
 */
class MemoryBusyPolledSelectorBehaviourTest extends DmmSelectorBehaviourTest {
    @Override
    protected TestPolicy policy() {
        return new TestPolicy().stack("mem", MemoryStackProvider.TYPE, Map.of("busyPoll", 50L)).defaults("mem");
    }
}
