package io.dmm.stack.userspace.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The cookie's arithmetic: MSS round trip, validity window, and the options carried in TSval. */
class SynCookiesTest {
    private final SynCookies cookies = new SynCookies(0x0123456789ABCDEFL, 0x7EDCBA9876543210L);

    @Test
    void mssRoundsDownToTheTableAndComesBack() {
        int[][] cases = {{100, 536}, {536, 536}, {1299, 536}, {1300, 1300}, {1459, 1440}, {1460, 1460}, {9000, 1460}};
        long now = 5 * SynCookies.PERIOD_NANOS + 123;
        for (int[] c : cases) {
            int cookie = cookies.cookie(1, 80, 2, 40000, 777, c[0], now);
            assertEquals(c[1], cookies.check(1, 80, 2, 40000, 777, cookie, now), "peer MSS " + c[0]);
        }
    }

    @Test
    void validInItsPeriodAndTheNextOnly() {
        long now = 7 * SynCookies.PERIOD_NANOS;
        int cookie = cookies.cookie(1, 80, 2, 40000, -5, 1460, now);
        assertEquals(1460, cookies.check(1, 80, 2, 40000, -5, cookie, now + SynCookies.PERIOD_NANOS - 1));
        assertEquals(1460, cookies.check(1, 80, 2, 40000, -5, cookie, now + 2 * SynCookies.PERIOD_NANOS - 1));
        assertEquals(-1, cookies.check(1, 80, 2, 40000, -5, cookie, now + 2 * SynCookies.PERIOD_NANOS));
        assertEquals(-1, cookies.check(1, 80, 2, 40000, -5, cookie, now - SynCookies.PERIOD_NANOS), "not from the future");
        assertEquals(-1, cookies.check(3, 80, 2, 40000, -5, cookie, now), "another local address");
        assertEquals(-1, cookies.check(1, 80, 2, 40000, -5, cookie + (1 << 20), now), "a changed cookie");
    }

    @Test
    void tsValCarriesTheOptionsAndNeverRunsAhead() {
        for (int ts : new int[] {0, 1, 63, 64, 1000, -1, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            for (int ws = -1; ws <= 14; ws++) {
                for (boolean sack : new boolean[] {false, true}) {
                    int v = SynCookies.encodeTsOptions(ts, ws, sack);
                    assertTrue(SeqNum.le(v, ts) && ts - v < 64, ts + " -> " + v);
                    assertEquals(ws, SynCookies.windowScale(v));
                    assertEquals(sack, SynCookies.sackPermitted(v));
                    assertTrue(SynCookies.optionsValid(v));
                }
            }
        }
        assertTrue(!SynCookies.optionsValid(0x20 | 7), "ECN we never offered");
    }
}
