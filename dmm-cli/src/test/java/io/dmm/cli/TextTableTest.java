package io.dmm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The readable output: aligned columns, numbers to the right, ages in human units. */
class TextTableTest {
    @Test
    void columnsAreAlignedNumbersRightTheLastColumnUnpadded() {
        String table = new TextTable("NAME", "HITS", "RULE")
                .row("k1", 7L, "tcp -> k1")
                .row("kernel", 1234L, "default")
                .row("x", null, "")
                .render();
        assertEquals("""
                NAME    HITS  RULE
                k1         7  tcp -> k1
                kernel  1234  default
                x          -
                """, table);
    }

    @Test
    void anEmptyTableIsItsHeader() {
        assertEquals("A  B\n", new TextTable("A", "B").render());
    }

    @Test
    void agesInHumanUnits() {
        assertEquals("850ms", SocketsCommand.age(850));
        assertEquals("12s", SocketsCommand.age(12_400));
        assertEquals("3m04s", SocketsCommand.age(184_000));
        assertEquals("2h05m", SocketsCommand.age(7_500_000));
        assertEquals("3d04h", SocketsCommand.age(3 * 86_400_000L + 4 * 3_600_000L));
    }
}
