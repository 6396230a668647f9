package io.dmm.agent;

import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class JavaNetFactoriesTest {
    /** Stands in for io.dmm.core.net.DmmSocketFactories. */
    public static final class Recording {
        static final AtomicInteger INSTALLS = new AtomicInteger();

        public static void install() {
            INSTALLS.incrementAndGet();
        }
    }

    public static final class Failing {
        public static void install() {
            throw new IllegalStateException("factory already set");
        }
    }

    public static final class NoInstallMethod {
    }

    @Test
    void installsWhenTheClassExists() {
        int before = Recording.INSTALLS.get();
        assertTrue(JavaNetFactories.installIfPresent(Recording.class.getName()));
        assertEquals(before + 1, Recording.INSTALLS.get());
    }

    @Test
    void aDmmWithoutTheFactoriesIsFine() {
        assertFalse(JavaNetFactories.installIfPresent("io.dmm.agent.NoSuchFactories"));
    }

    @Test
    void aFailingInstallStopsTheAgentWithItsCause() {
        AgentFailure e = assertThrows(AgentFailure.class, () -> JavaNetFactories.installIfPresent(Failing.class.getName()));
        assertTrue(e.getMessage().contains("factory already set"), e.getMessage());
        assertThrows(AgentFailure.class, () -> JavaNetFactories.installIfPresent(NoInstallMethod.class.getName()));
    }
}
