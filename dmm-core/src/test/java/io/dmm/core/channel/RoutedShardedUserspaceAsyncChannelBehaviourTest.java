package io.dmm.core.channel;

import io.dmm.core.testsupport.TestPolicy;
import io.dmm.core.testsupport.TestStacks;

/** The asynchronous behaviour suite against a userspace instance of two shards (see the blocking one). */
class RoutedShardedUserspaceAsyncChannelBehaviourTest extends RoutedUserspaceAsyncChannelBehaviourTest {
    @Override
    protected TestPolicy policy() {
        return TestStacks.shardedUserspaceWithKernelForIpv6();
    }
}
