package io.dmm.stack.userspace.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NewRenoTest {
    private static final int MSS = 1000;
    private static final long RTT = 10_000_000L;

    /** One round trip: the whole window is acknowledged in {@code ackSize}-byte ACKs. */
    private static void oneRtt(CongestionControl cc, int ackSize, long now) {
        long window = cc.cwnd();
        long inFlight = window;
        for (long acked = 0; acked < window; acked += ackSize) {
            long n = Math.min(ackSize, window - acked);
            cc.onAck(n, inFlight, now, RTT);
            inFlight -= n;
        }
    }

    @Test
    void initialWindowAndArbitrarilyHighSsthresh() {
        NewReno cc = new NewReno(MSS, 10);
        assertEquals("newreno", cc.name());
        assertEquals(10 * MSS, cc.cwnd());
        assertTrue(cc.ssthresh() > 1L << 60);
    }

    @Test
    void slowStartDoublesPerRttWithPerSegmentAcks() {
        NewReno cc = new NewReno(MSS, 10);
        for (int r = 0; r < 5; r++) {
            long before = cc.cwnd();
            oneRtt(cc, MSS, r * RTT);
            assertEquals(2 * before, cc.cwnd());
        }
    }

    @Test
    void slowStartDoublesPerRttWithDelayedAcksThanksToAbc() {
        NewReno cc = new NewReno(MSS, 10);
        oneRtt(cc, 2 * MSS, 0);
        assertEquals(20 * MSS, cc.cwnd());
    }

    @Test
    void abcLimitsStretchAcksToTwoSegments() {
        NewReno cc = new NewReno(MSS, 10);
        cc.onAck(10 * MSS, 10 * MSS, 0, RTT);
        assertEquals(12 * MSS, cc.cwnd());
    }

    @Test
    void lossHalvesFlightThenAvoidanceAddsOneMssPerRtt() {
        NewReno cc = new NewReno(MSS, 10);
        oneRtt(cc, MSS, 0);
        oneRtt(cc, MSS, RTT); // 40 MSS
        cc.onEnterRecovery(40 * MSS, 2 * RTT);
        assertEquals(20 * MSS, cc.ssthresh());
        assertEquals(23 * MSS, cc.cwnd());
        cc.onDupAckInRecovery();
        cc.onDupAckInRecovery();
        assertEquals(25 * MSS, cc.cwnd());
        cc.onPartialAck(3 * MSS); // 25 - 3 + 1
        assertEquals(23 * MSS, cc.cwnd());
        cc.onPartialAck(500); // less than one MSS: no add-back
        assertEquals(22 * MSS + 500, cc.cwnd());
        cc.onExitRecovery(30 * MSS);
        assertEquals(20 * MSS, cc.cwnd()); // min(ssthresh, flight + MSS)
        for (int r = 0; r < 10; r++) {
            long before = cc.cwnd();
            oneRtt(cc, MSS, (3 + r) * RTT);
            assertEquals(before + MSS, cc.cwnd());
        }
    }

    @Test
    void exitWithSmallFlightAvoidsBurst() {
        NewReno cc = new NewReno(MSS, 10);
        cc.onEnterRecovery(100 * MSS, 0);
        cc.onExitRecovery(5 * MSS);
        assertEquals(6 * MSS, cc.cwnd());
        NewReno d = new NewReno(MSS, 10);
        d.onEnterRecovery(100 * MSS, 0);
        d.onExitRecovery(0);
        assertEquals(2 * MSS, d.cwnd());
    }

    @Test
    void ssthreshNeverBelowTwoSegments() {
        NewReno cc = new NewReno(MSS, 10);
        cc.onEnterRecovery(MSS, 0);
        assertEquals(2 * MSS, cc.ssthresh());
        assertEquals(5 * MSS, cc.cwnd());
    }

    @Test
    void timeoutGoesToLossWindowThenSlowStartsToSsthresh() {
        NewReno cc = new NewReno(MSS, 10);
        oneRtt(cc, MSS, 0); // 20
        oneRtt(cc, MSS, RTT); // 40
        cc.onTimeout(40 * MSS, 2 * RTT);
        assertEquals(MSS, cc.cwnd());
        assertEquals(20 * MSS, cc.ssthresh());
        long[] expected = {2, 4, 8, 16, 20}; // the last round crosses ssthresh: 4 MSS of slow start, then avoidance
        for (int r = 0; r < expected.length; r++) {
            oneRtt(cc, MSS, (3 + r) * RTT);
            assertEquals(expected[r] * MSS, cc.cwnd(), "round " + r);
        }
        // Beyond ssthresh: linear (the 12 MSS acked in avoidance last round count towards it).
        oneRtt(cc, MSS, 9 * RTT);
        assertEquals(21 * MSS, cc.cwnd());
        oneRtt(cc, MSS, 10 * RTT);
        assertEquals(22 * MSS, cc.cwnd());
    }

    @Test
    void idleRestartCapsAtInitialWindow() {
        NewReno cc = new NewReno(MSS, 4);
        oneRtt(cc, MSS, 0);
        assertEquals(8 * MSS, cc.cwnd());
        cc.onIdleRestart(RTT);
        assertEquals(4 * MSS, cc.cwnd());
        cc.onTimeout(MSS, 0);
        cc.onIdleRestart(RTT);
        assertEquals(MSS, cc.cwnd()); // min: never grows
    }
}
