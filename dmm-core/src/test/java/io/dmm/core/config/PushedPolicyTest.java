package io.dmm.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.api.DmmConfigException;
import io.dmm.core.policy.Policy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PolicyLoader#parsePushed}: routing may be pushed, management settings may not. */
class PushedPolicyTest {
    private static final String STACKS = "\"stacks\": [{\"name\": \"k\", \"type\": \"kernel\"}]";

    @TempDir
    Path dir;

    private Policy running() throws Exception {
        Path file = Files.writeString(dir.resolve("policy.json"),
                "{" + STACKS + ", \"management\": {\"watch\": false, \"jmx\": false}}");
        return PolicyLoader.load(file);
    }

    private static Policy pushed(String text, Policy running) {
        return PolicyLoader.parsePushed(text, "push.json", running, LocalOnlySettings.NONE);
    }

    @Test
    void withoutAManagementSectionTheRunningSettingsStay() throws Exception {
        Policy running = running();
        Policy p = pushed("{" + STACKS + "}", running);
        assertEquals(running.management(), p.management());
        assertEquals("k", p.defaultRoute().stacks().get(0));
    }

    @Test
    void aSectionSayingWhatRunsIsTaken() throws Exception {
        Policy running = running();
        Policy p = pushed("{" + STACKS + ", \"management\": {\"jmx\": false, \"watch\": false}}", running);
        assertEquals(running.management(), p.management());
    }

    @Test
    void stackModulesAreRefusedWhereTheSectionStarts() throws Exception {
        Policy running = running();
        Path modules = Files.createDirectory(dir.resolve("jars"));
        String text = "{" + STACKS + ",\n \"management\":\n   {\"watch\": false, \"jmx\": false, \"stackModules\": \""
                + modules + "\"}}";
        DmmConfigException e = assertThrows(DmmConfigException.class,
                () -> pushed(text, running));
        assertTrue(e.getMessage().startsWith("push.json:3:4: management: a pushed policy cannot change the"
                + " management settings (here stackModules): they load code"), e.getMessage());
    }

    @Test
    void everyChangedSettingIsNamed() throws Exception {
        Policy running = running();
        Path token = Files.writeString(dir.resolve("token"), "secret");
        String text = "{" + STACKS + ", \"management\": {\"watchIntervalMs\": 50, \"http\": {\"port\": 0,"
                + " \"tokenFile\": \"" + token + "\"}}}";
        DmmConfigException e = assertThrows(DmmConfigException.class,
                () -> pushed(text, running));
        assertTrue(e.getMessage().contains("(here watch, watchIntervalMs, jmx, http)"), e.getMessage());
    }
}
