package io.dmm.jdk.platform;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import org.junit.jupiter.api.Test;

/**
 * In this JVM DMM is not the system provider and sun.nio.ch is not exported: PlatformChannels
 * falls back to {@code SelectorProvider.provider()}. The configurations with DMM installed
 * (agent; property plus --add-exports; property without it) run in child JVMs in dmm-agent's
 * integration tests.
 */
class PlatformChannelsTest {
    @Test
    void withoutTheExportItUsesTheSystemProviderWhenThatIsNotDmms() throws Exception {
        assertFalse(PlatformChannels.defaultProviderExported());
        assertSame(SelectorProvider.provider(), PlatformChannels.provider());
        try (SocketChannel ch = PlatformChannels.openSocketChannel(null)) {
            assertEquals("sun.nio.ch", ch.getClass().getPackageName());
        }
    }

    @Test
    void providerIsCached() {
        assertSame(PlatformChannels.provider(), PlatformChannels.provider());
    }

    @Test
    void recognisesDmmProvidersByPackage() {
        assertFalse(PlatformChannels.isDmm(SelectorProvider.provider()));
        assertTrue(PlatformChannels.isDmm(new io.dmm.jdk.platform.testing.FakeDmmProvider()));
    }
}
