package io.dmm.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.api.DmmConfigException;
import io.dmm.api.spi.StackProvider;
import io.dmm.core.policy.Policy;
import io.dmm.core.testsupport.TestStacks;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link PolicyLoader#parsePushed}: a pushed policy may not set a stack type's local-only settings
 * to anything the running stack of that name does not have; here the userspace stack's, as its
 * provider (on the test class path) declares them. Nothing is built: the decision is the reader's.
 */
class PushedStackSettingsTest {
    /** The local-only settings as the providers of the test class path declare them. */
    private static final LocalOnlySettings DECLARED = type -> TestStacks.providers().stream()
            .filter(p -> p.type().equals(type)).findFirst().map(StackProvider::localOnlySettings).orElse(Set.of());

    private static final String KERNEL = "{\"name\": \"k\", \"type\": \"kernel\"}";
    private static final String EAL = ", \"eal\": [\"--no-huge\", \"-m\", \"256\"]";
    /** EAL arguments that make DPDK load a shared object. */
    private static final String LOAD = ", \"eal\": [\"-d\", \"/tmp/pmd.so\"]";

    /** A userspace stack on a DPDK net_ring link, with more device keys. */
    private static String dpdk(String name, String device) {
        return "{\"name\": \"" + name + "\", \"type\": \"userspace\", \"address\": \"10.9.0.1/24\",\n"
                + "  \"device\": {\"driver\": \"dpdk\", \"link\": \"l0\"" + device + "}}";
    }

    private static Policy running(String... stacks) {
        return PolicyLoader.parse("{\"stacks\": [" + String.join(",\n ", stacks) + "]}", "policy.json");
    }

    private static Policy push(Policy running, String... stacks) {
        return PolicyLoader.parsePushed("{\"stacks\": [" + String.join(",\n ", stacks) + "]}", "push.json", running,
                DECLARED);
    }

    @Test
    void addingADpdkStackWithEalIsRefusedAtTheSetting() {
        Policy running = running(KERNEL);
        DmmConfigException e = assertThrows(DmmConfigException.class, () -> push(running, KERNEL, dpdk("dp0", LOAD)));
        assertTrue(e.getMessage().startsWith("push.json:3:53: stacks[1].device.eal: stack \"dp0\": \"device.eal\" can"
                + " make the JVM load code or act on the host, so the userspace stack type lets only the local policy"
                + " file set it, not the runtime API (a pushed policy, addStack); this JVM runs no userspace stack"
                + " \"dp0\"."), e.getMessage());
    }

    @Test
    void restatingTheRunningEalIsTaken() {
        Policy running = running(KERNEL, dpdk("dp0", EAL));
        // the same value written differently, with another setting of the stack changed
        Policy p = push(running, dpdk("dp0", ", \"mtu\": 1400,\n \"eal\": [ \"--no-huge\",\"-m\",  \"256\" ]"));
        assertEquals(List.of("--no-huge", "-m", "256"), eal(p));
    }

    @Test
    void changingTheRunningEalIsRefused() {
        Policy running = running(KERNEL, dpdk("dp0", EAL));
        DmmConfigException e = assertThrows(DmmConfigException.class, () -> push(running, KERNEL, dpdk("dp0", LOAD)));
        assertTrue(e.getMessage().startsWith("push.json:3:53: stacks[1].device.eal: stack \"dp0\""), e.getMessage());
        assertTrue(e.getMessage().contains("; the running one has another value."), e.getMessage());
    }

    @Test
    void leavingTheEalOutIsTaken() {
        Policy running = running(KERNEL, dpdk("dp0", EAL));
        assertEquals("dp0", push(running, dpdk("dp0", "")).stacks().get(0).name());
    }

    @Test
    void theRunningEalDoesNotCarryOverToAnotherStack() {
        Policy running = running(KERNEL, dpdk("dp0", EAL));
        DmmConfigException e = assertThrows(DmmConfigException.class,
                () -> push(running, dpdk("dp0", EAL), dpdk("dp1", EAL)));
        assertTrue(e.getMessage().startsWith("push.json:4:53: stacks[1].device.eal: stack \"dp1\""), e.getMessage());
    }

    /** A DPDK port's devargs can make a PMD open host files; a capture file is created or overwritten. */
    @Test
    void portDevargsAndCaptureFilesAreLocalOnlyToo() {
        Policy running = running(KERNEL);
        String port = "{\"name\": \"dp0\", \"type\": \"userspace\", \"address\": \"10.9.0.1/24\",\n"
                + "  \"device\": {\"driver\": \"dpdk\", \"port\": \"net_pcap0,rx_pcap=/etc/shadow\"}}";
        DmmConfigException e = assertThrows(DmmConfigException.class, () -> push(running, KERNEL, port));
        assertTrue(e.getMessage().startsWith("push.json:3:40: stacks[1].device.port: stack \"dp0\": \"device.port\""),
                e.getMessage());
        String pcap = "{\"name\": \"u0\", \"type\": \"userspace\", \"address\": \"10.9.0.1/24\",\n"
                + "  \"device\": {\"driver\": \"loopback\", \"pcap\": \"/root/.bashrc\"}}";
        e = assertThrows(DmmConfigException.class, () -> push(running, KERNEL, pcap));
        assertTrue(e.getMessage().startsWith("push.json:3:44: stacks[1].device.pcap: stack \"u0\": \"device.pcap\""),
                e.getMessage());
    }

    @SuppressWarnings("unchecked")
    private static List<Object> eal(Policy p) {
        return (List<Object>) ((java.util.Map<String, Object>) p.stacks().get(0).settings().get("device")).get("eal");
    }
}
