package io.dmm.agent;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AgentArgsTest {
    @Test
    void noArgumentsKeepTheJvmsSettings() {
        assertEquals(new AgentArgs(null, null), AgentArgs.parse(null));
        assertEquals(new AgentArgs(null, null), AgentArgs.parse(" "));
    }

    @Test
    void configIsMadeAbsoluteAndAppIsKept() {
        AgentArgs a = AgentArgs.parse("config=conf/p.json, app=billing");
        assertEquals(Path.of("conf/p.json").toAbsolutePath(), a.config());
        assertEquals("billing", a.app());
    }

    @Test
    void unknownKeysAndEmptyValuesAreRefusedWithTheUsage() {
        AgentFailure unknown = assertThrows(AgentFailure.class, () -> AgentArgs.parse("cfg=x"));
        assertTrue(unknown.getMessage().contains("unknown agent option 'cfg'"), unknown.getMessage());
        assertTrue(unknown.getMessage().contains(AgentArgs.USAGE), unknown.getMessage());
        assertThrows(AgentFailure.class, () -> AgentArgs.parse("config="));
        assertThrows(AgentFailure.class, () -> AgentArgs.parse("config"));
    }
}
