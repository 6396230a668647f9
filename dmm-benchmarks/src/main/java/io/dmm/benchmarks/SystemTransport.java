package io.dmm.benchmarks;

import io.dmm.jdk.platform.PlatformChannels;
import java.io.IOException;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;

/**
 * The two sides of the drop-in benchmarks, each run in its own fork; every fork is a JVM started
 * with the same options, DMM installed as the system-wide SelectorProvider
 * ({@link SystemProviderFork}): {@code JDK} opens channels and selectors from the JDK's own
 * provider — what {@code SocketChannel.open()} gives without DMM — and {@code DMM} uses the plain
 * {@code SocketChannel.open()} / {@code Selector.open()} an unmodified program calls.
 */
public enum SystemTransport {
    JDK {
        @Override
        SelectorProvider provider() {
            return PlatformChannels.provider();
        }
    },
    DMM {
        @Override
        SelectorProvider provider() {
            SelectorProvider system = SelectorProvider.provider();
            if (!system.getClass().getName().equals("io.dmm.core.DmmSelectorProvider")) {
                throw new IllegalStateException("DMM is not the system SelectorProvider in this JVM: " + system);
            }
            return system;
        }
    };

    abstract SelectorProvider provider();

    SocketChannel openClient() throws IOException {
        return provider().openSocketChannel();
    }

    ServerSocketChannel openServer() throws IOException {
        return provider().openServerSocketChannel();
    }

    Selector openSelector() throws IOException {
        return provider().openSelector();
    }
}
