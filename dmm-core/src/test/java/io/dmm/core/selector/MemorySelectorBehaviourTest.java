package io.dmm.core.selector;

import io.dmm.core.testsupport.MemoryStackProvider;
import io.dmm.core.testsupport.TestPolicy;
import java.util.Map;

/**
 * The selector suite with every channel on the fd-less memory stack: readiness comes only through
 * the ReadinessSource hook, and must behave as the JDK's epoll does.
 */
class MemorySelectorBehaviourTest extends DmmSelectorBehaviourTest {
    @Override
    protected TestPolicy policy() {
        return new TestPolicy().stack("mem", MemoryStackProvider.TYPE, Map.of()).defaults("mem");
    }
}
