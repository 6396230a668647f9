package io.dmm.stack.userspace.dpdk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dmm.api.spi.StackHealth;
import io.dmm.api.spi.StackInstance;
import io.dmm.api.spi.StackProvider;
import io.dmm.api.spi.testing.MapStackSettings;
import io.dmm.stack.userspace.UserspaceStackProvider;
import java.util.LinkedHashMap;
import java.util.Map;

/** Userspace stack instances on DPDK devices, built from policy entries as DMM builds them. */
final class DpdkStacks {
    private static final StackProvider PROVIDER = new UserspaceStackProvider();

    private DpdkStacks() {}

    /** An instance that must come UP: a DOWN one fails the test with its reason (e.g. what to install). */
    static StackInstance up(String name, String address, Map<String, Object> device, Map<String, Object> extra) {
        StackInstance s = create(name, address, device, extra);
        if (s.health() != StackHealth.UP) {
            String why = s.healthDetail();
            s.close();
            assertEquals(StackHealth.UP, s.health(), "stack " + name + " did not come up: " + why);
        }
        return s;
    }

    static StackInstance create(String name, String address, Map<String, Object> device, Map<String, Object> extra) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("address", address);
        settings.put("device", device);
        if (extra != null) settings.putAll(extra);
        return PROVIDER.create(MapStackSettings.of(name, "userspace", settings));
    }

    static Map<String, Object> ringLink(String link) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("driver", "dpdk");
        d.put("link", link);
        return d;
    }
}
