package io.dmm.core.selector;

import io.dmm.api.Role;
import io.dmm.core.testsupport.TestPolicy;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** The selector suite with servers listening on two kernel instances: OP_ACCEPT from either member. */
class DmmMultiListenSelectorBehaviourTest extends DmmSelectorBehaviourTest {
    @Override
    protected TestPolicy policy() {
        return new TestPolicy().kernel("k1").kernel("k2").rule(k -> k.role() == Role.SERVER, "k1", "k2").defaults("k1");
    }

    @Override
    protected SocketAddress serverBindAddress() {
        return new InetSocketAddress(0);
    }
}
