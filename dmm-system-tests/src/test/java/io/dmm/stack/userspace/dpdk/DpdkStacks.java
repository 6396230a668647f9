package io.dmm.stack.userspace.dpdk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dmm.api.spi.StackHealth;
import io.dmm.api.spi.StackInstance;
import io.dmm.api.spi.StackProvider;
import io.dmm.api.spi.testing.MapStackSettings;
import io.dmm.stack.userspace.UserspaceStackProvider;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Userspace stack instances on DPDK devices, built from policy entries as DMM builds them: by the
 * "userspace" provider that ServiceLoader finds.
 */
public final class DpdkStacks {
    private static final StackProvider PROVIDER = ServiceLoader.load(StackProvider.class).stream()
            .map(ServiceLoader.Provider::get).filter(p -> p.type().equals(UserspaceStackProvider.TYPE)).findFirst()
            .orElseThrow(() -> new AssertionError("no \"userspace\" StackProvider on the class path"));

    private DpdkStacks() {}

    /**
     * An instance that must come UP: a DOWN one fails the test with its reason (e.g. what to
     * install). {@code extra}: more keys of the stack entry (e.g. "tcp"), or null.
     */
    public static StackInstance up(String name, String address, Map<String, Object> device, Map<String, Object> extra) {
        StackInstance s = create(name, address, device, extra);
        if (s.health() != StackHealth.UP) {
            String why = s.healthDetail();
            s.close();
            assertEquals(StackHealth.UP, s.health(), "stack " + name + " on " + device + " did not come up: " + why);
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
