package io.dmm.stack.userspace.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.api.spi.StackHealth;
import io.dmm.api.spi.StackInstance;
import io.dmm.stack.userspace.dpdk.DpdkStacks;
import io.dmm.systemtest.host.CommandResult;
import io.dmm.systemtest.host.Commands;
import io.dmm.systemtest.host.HostRequirements;
import io.dmm.systemtest.host.NetNamespace;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The tap driver's interface in the JVM's own namespace, as Linux shows it: named by the kernel
 * ({@code dmmN}) or by the "interface" setting, a tap, up, with the configured MTU while the instance
 * runs, and gone once it closes (the driver's tap is not persistent). A name the driver cannot have
 * (another instance's tap, an interface that is no tap) refuses the instance and names why, and
 * leaves that interface as it was.
 */
class TapInterfaceTest {
    private static final Duration COMMAND = Duration.ofSeconds(10);
    /** The stack's address: its tap has none on the kernel side, so nothing routes to it from here. */
    private static final String ADDRESS = "10.232.0.2/24";
    /** The driver's name of its device ends with the kernel's name of the tap. */
    private static final Pattern DEVICE = Pattern.compile(" on \\S+\\.tap:(\\S+)$");

    @BeforeAll
    static void host() {
        HostRequirements.check();
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void withoutAnInterfaceTheKernelNamesTheTapDmmAndItGoesWithTheInstance() {
        String iface = tapOfInstance("tapname-kernel", Map.of("driver", "tap"), 1500);
        assertTrue(iface.matches("dmm\\d+"), () -> "the kernel's name for a tap asked as dmm%d: " + iface);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aGivenInterfaceNameAndMtuAreTheTapsAndItGoesWithTheInstance() {
        String iface = NetNamespace.uniqueInterfaceName("dkn");
        assertEquals(iface, tapOfInstance("tapname-given", tap(iface, Map.of("mtu", 1400L)), 1400));
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aSecondInstanceOnTheSameTapIsRefusedAndTheFirstKeepsIt() {
        String iface = NetNamespace.uniqueInterfaceName("dkb");
        try (StackInstance first = DpdkStacks.up("tapname-first", ADDRESS, tap(iface, Map.of()), null)) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> DpdkStacks.up("tapname-second", ADDRESS, tap(iface, Map.of()), null).close());
            assertTrue(e.getMessage().startsWith("cannot make the tap " + iface + " for instance tapname-second: ")
                    && e.getMessage().endsWith("(another process has it open)"), e::getMessage);
            assertIsOurTapUp(iface, 1500);
            assertEquals(StackHealth.UP, first.health());
        }
        assertGone(iface);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void anInterfaceThatIsNoTapIsRefusedAndLeftAlone() {
        try (NetNamespace ns = NetNamespace.create()) {
            String veth = ns.addVethPair(NetNamespace.uniqueInterfaceName("dkv"));
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> DpdkStacks.up("tapname-veth", ADDRESS, tap(veth, Map.of()), null).close());
            assertTrue(e.getMessage().startsWith("cannot make the tap " + veth + " for instance tapname-veth: ")
                    && e.getMessage().endsWith("(an interface of that name exists and is no tap)"), e::getMessage);
            assertTrue(link(veth).stdout().contains(" veth "), () -> "still the veth: " + link(veth).describe());
        }
    }

    /**
     * Starts an instance on {@code device}, checks its tap while it runs (up, a tap, of {@code mtu})
     * and that the tap is gone once the instance closed; returns the tap's name.
     */
    private static String tapOfInstance(String instance, Map<String, Object> device, int mtu) {
        String iface;
        try (StackInstance stack = DpdkStacks.up(instance, ADDRESS, device, null)) {
            Matcher m = DEVICE.matcher(stack.toString());
            assertTrue(m.find(), () -> "the instance names its device: " + stack);
            iface = m.group(1);
            assertIsOurTapUp(iface, mtu);
        }
        assertGone(iface);
        return iface;
    }

    private static Map<String, Object> tap(String iface, Map<String, Object> more) {
        Map<String, Object> d = new LinkedHashMap<>(more);
        d.put("driver", "tap");
        d.put("interface", iface);
        return d;
    }

    /** {@code ip -d link show}: the interface's flags, MTU and, with -d, its kind ("tun type tap"). */
    private static CommandResult link(String iface) {
        return Commands.run(COMMAND, List.of("ip", "-d", "-o", "link", "show", "dev", iface));
    }

    private static void assertIsOurTapUp(String iface, int mtu) {
        CommandResult r = link(iface);
        assertEquals(0, r.exitCode(), r::describe);
        String s = r.stdout();
        assertTrue(s.contains(" mtu " + mtu + " "), () -> "MTU " + mtu + ": " + s);
        assertTrue(s.contains(" tun type tap "), () -> "a tap: " + s);
        assertTrue(s.matches("(?s)^\\d+: " + Pattern.quote(iface) + ": <([A-Z_-]+,)*UP[,>].*"), () -> "up: " + s);
    }

    private static void assertGone(String iface) {
        CommandResult r = link(iface);
        assertNotEquals(0, r.exitCode(), () -> "the tap should be gone with its instance: " + r.describe());
    }
}
