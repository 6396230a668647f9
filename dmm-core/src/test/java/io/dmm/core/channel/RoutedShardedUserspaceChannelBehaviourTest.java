package io.dmm.core.channel;

import io.dmm.core.testsupport.TestPolicy;
import io.dmm.core.testsupport.TestStacks;

/**
 * The channel behaviour suite against a userspace instance of two shards: clients alternate
 * between the shards, a listener is on both, and a client bound before its connect moves to the
 * shard its flow hashes to; every assertion the JDK's own channels pass must still hold.
 */
class RoutedShardedUserspaceChannelBehaviourTest extends RoutedUserspaceChannelBehaviourTest {
    @Override
    protected TestPolicy policy() {
        return TestStacks.shardedUserspaceWithKernelForIpv6();
    }
}
