package io.dmm.core.runtime;

import static org.junit.jupiter.api.Assertions.*;

import io.dmm.api.DmmConfigException;
import io.dmm.core.policy.StackDefinition;
import io.dmm.api.spi.testing.MapStackSettings;
import io.dmm.core.testsupport.TestStacks;
import io.dmm.stack.kernel.KernelStackInstance;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StackRegistryTest {
    private static StackDefinition def(String name, String type, Map<String, Object> settings) {
        return new StackDefinition(name, type, MapStackSettings.of(name, type, settings), "test.json:1");
    }

    @Test
    void buildsKernelInstancesFoundByServiceLoader() {
        try (StackRegistry r = StackRegistry.build(List.of(def("a", "kernel", Map.of()),
                def("b", "kernel", Map.of("source", "127.0.0.1"))))) {
            assertEquals(List.of("a", "b"), r.names());
            assertInstanceOf(KernelStackInstance.class, r.get("a").instance());
            assertNotNull(r.get("b").instance().sourceAddress());
            assertNull(r.get("c"));
        }
    }

    @Test
    void unknownTypeListsTheKnownOnes() {
        DmmConfigException e = assertThrows(DmmConfigException.class,
                () -> StackRegistry.build(List.of(def("a", "dpdk-ish", Map.of()))));
        assertEquals("stacks[0].type", e.path());
        assertTrue(e.detail().contains("unknown stack type \"dpdk-ish\""), e.detail());
        assertTrue(e.detail().contains("known types: kernel"), e.detail());
    }

    @Test
    void allOrNothingWhenALaterInstanceFails() {
        TestStacks.TrackingProvider good = new TestStacks.TrackingProvider("good", false);
        TestStacks.TrackingProvider bad = new TestStacks.TrackingProvider("bad", true);
        DmmConfigException e = assertThrows(DmmConfigException.class, () -> StackRegistry.build(
                List.of(def("one", "good", Map.of()), def("two", "good", Map.of()), def("three", "bad", Map.of())),
                List.of(good, bad)));
        assertTrue(e.getMessage().contains("always fails"));
        assertEquals(2, good.created.get());
        assertEquals(2, good.closed.get(), "instances built before the failure were closed again");
    }

    @Test
    void settingsErrorsOfAProviderPropagate() {
        DmmConfigException e = assertThrows(DmmConfigException.class, () -> StackRegistry.build(
                List.of(def("a", "kernel", Map.of("options", Map.of("TCP_NODELAY", 1L))))));
        assertTrue(e.detail().contains("expects a boolean"), e.detail());
    }

    @Test
    void closeClosesEveryInstance() {
        TestStacks.TrackingProvider good = new TestStacks.TrackingProvider("good", false);
        StackRegistry r = StackRegistry.build(List.of(def("one", "good", Map.of()), def("two", "good", Map.of())),
                List.of(good));
        r.close();
        assertEquals(2, good.closed.get());
    }
}
