package io.dmm.stack.userspace.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CubicTest {
    private static final int MSS = 1000;

    // RFC 9438's constants and formulas, written out here so that the expected windows do not come
    // from the code under test.
    /** §5.1: C, in segments per second cubed. */
    private static final double RFC_C = 0.4;
    /** §4.6: beta_cubic, the multiplicative decrease factor. */
    private static final double RFC_BETA = 0.7;
    /** §4.3: alpha_cubic = 3 (1 - beta_cubic) / (1 + beta_cubic), Reno-friendly growth per RTT. */
    private static final double RFC_ALPHA = 3 * (1 - RFC_BETA) / (1 + RFC_BETA);

    /** §4.2 figure 2: K = cubic_root((W_max - cwnd_epoch) / C), in seconds. */
    private static double rfcK(double wMax, double cwndEpoch) {
        return Math.cbrt((wMax - cwndEpoch) / RFC_C);
    }

    /** §4.2 figure 1: W_cubic(t) = C (t - K)^3 + W_max, in segments, t in seconds since the epoch began. */
    private static double rfcWCubic(double t, double k, double wMax) {
        return RFC_C * Math.pow(t - k, 3) + wMax;
    }

    /** One round trip in which the whole window is acknowledged, one segment per ACK. */
    private static void oneRtt(CongestionControl cc, long start, long rtt) {
        long window = cc.cwnd();
        long acks = Math.max(1, window / MSS);
        for (long i = 0; i < acks; i++) {
            cc.onAck(MSS, window, start + rtt * i / acks, rtt);
        }
    }

    private static Cubic afterLossAt(int segments, long rtt) {
        Cubic cc = new Cubic(MSS, 10);
        long now = 0;
        while (cc.cwnd() < (long) segments * MSS) {
            oneRtt(cc, now, rtt);
            now += rtt;
        }
        return cc;
    }

    @Test
    void slowStartLikeReno() {
        Cubic cc = new Cubic(MSS, 10);
        assertEquals("cubic", cc.name());
        assertEquals(10 * MSS, cc.cwnd());
        for (int r = 0; r < 4; r++) {
            long before = cc.cwnd();
            oneRtt(cc, 0, 10_000_000L);
            assertEquals(2 * before, cc.cwnd());
        }
    }

    @Test
    void lossMultipliesBySevenTenthsAndRecoveryArithmetic() {
        Cubic cc = afterLossAt(160, 100_000_000L);
        assertEquals(160 * MSS, cc.cwnd());
        cc.onEnterRecovery(160 * MSS, 0);
        assertEquals(112 * MSS, cc.ssthresh());
        assertEquals(115 * MSS, cc.cwnd());
        cc.onDupAckInRecovery();
        assertEquals(116 * MSS, cc.cwnd());
        cc.onPartialAck(4 * MSS);
        assertEquals(113 * MSS, cc.cwnd());
        cc.onExitRecovery(150 * MSS);
        assertEquals(112 * MSS, cc.cwnd());
        assertEquals(160.0, cc.wMaxSegments(), 1e-9);
    }

    @Test
    void fastConvergenceLowersWmaxWhenLossComesBeforeThePreviousPlateau() {
        Cubic cc = afterLossAt(160, 100_000_000L);
        cc.onEnterRecovery(160 * MSS, 0);
        cc.onExitRecovery(160 * MSS); // cwnd 112 segments < W_max 160
        cc.onEnterRecovery(112 * MSS, 0);
        assertEquals(112 * (1 + RFC_BETA) / 2, cc.wMaxSegments(), 1e-9); // §4.7 fast convergence
        assertEquals((long) (112 * MSS * RFC_BETA), cc.ssthresh());
    }

    @Test
    void timeoutGoesToOneSegment() {
        Cubic cc = afterLossAt(80, 100_000_000L);
        cc.onTimeout(80 * MSS, 0);
        assertEquals(MSS, cc.cwnd());
        assertEquals(56 * MSS, cc.ssthresh());
        cc.onIdleRestart(0);
        assertEquals(MSS, cc.cwnd());
    }

    /**
     * After a loss at W_max = 1280 segments with a 100 ms RTT, cwnd follows W_cubic: concave
     * (shrinking increments) up to K = cbrt(1280·0.3/0.4) ≈ 9.86 s, flat around W_max, convex after.
     */
    @Test
    void windowFollowsTheCubicCurveAroundWmax() {
        long rtt = 100_000_000L;
        Cubic cc = afterLossAt(1024, rtt);
        double wMax = cc.cwnd() / (double) MSS;
        assertEquals(1280, wMax, "slow start from 10 segments doubles past 1024 to 1280");
        cc.onEnterRecovery(cc.cwnd(), 0);
        cc.onExitRecovery(cc.cwnd());
        assertEquals((long) (wMax * MSS * RFC_BETA), cc.cwnd());

        long start = 1_000_000_000L;
        long now = start;
        int rounds = 200;
        double[] w = new double[rounds + 1];
        w[0] = cc.cwnd() / (double) MSS;
        for (int r = 1; r <= rounds; r++) {
            oneRtt(cc, now, rtt);
            now += rtt;
            w[r] = cc.cwnd() / (double) MSS;
        }
        double k = rfcK(wMax, w[0]); // cwnd_epoch: the window the epoch began with, beta_cubic W_max
        assertEquals(9.865, k, 1e-3, "cubic_root(1280 * 0.3 / 0.4)");
        assertEquals(k, cc.kSeconds(), 1e-3);
        int kRound = (int) Math.round(k / 0.1);
        // Near K the window sits at the plateau W_max.
        assertEquals(wMax, w[kRound], wMax * 0.01);
        // Tracks the curve (target is one RTT ahead, reached within the round).
        for (int r = 5; r <= rounds; r += 5) {
            double t = r * 0.1;
            double expected = rfcWCubic(t, k, wMax);
            assertEquals(expected, w[r], expected * 0.03, "round " + r);
        }
        // Concave before K: increments shrink. Convex after: they grow.
        for (int r = 2; r < kRound - 3; r++) {
            assertTrue(w[r + 1] - w[r] <= w[r] - w[r - 1] + 1e-6, "concave at " + r);
        }
        for (int r = kRound + 3; r < rounds; r++) {
            assertTrue(w[r + 1] - w[r] >= w[r] - w[r - 1] - 1e-6, "convex at " + r);
        }
        assertTrue(w[rounds] > wMax * 1.3);
    }

    /** At a short RTT, Reno would grow faster than the cubic curve: the Reno-friendly estimate wins. */
    @Test
    void renoFriendlyRegionAtShortRtt() {
        long rtt = 1_000_000L;
        Cubic cc = afterLossAt(100, rtt);
        double wMax = cc.cwnd() / (double) MSS; // 160: slow start doubles past 100
        cc.onEnterRecovery(cc.cwnd(), 0);
        cc.onExitRecovery(cc.cwnd());
        double w0 = cc.cwnd() / (double) MSS;
        long now = 0;
        int rounds = 200;
        for (int r = 0; r < rounds; r++) {
            oneRtt(cc, now, rtt);
            now += rtt;
        }
        // 0.2 s after the loss the cubic curve has barely moved from beta_cubic W_max = 112 ...
        double cubicAt = rfcWCubic(0.2, rfcK(wMax, w0), wMax);
        assertTrue(cubicAt < w0 + 10, "cubic " + cubicAt);
        // ... while W_est grew by alpha_cubic per RTT (and by 1 once past W_max).
        double w = cc.cwnd() / (double) MSS;
        assertTrue(w > w0 + RFC_ALPHA * rounds * 0.9, "cwnd " + w);
    }

    @Test
    void growthPerRttBoundedByOneAndAHalf() {
        // With an RTT of twice K, W_cubic(t + RTT) is far above 1.5·cwnd: the target must be capped.
        long rtt = 10_000_000_000L;
        Cubic cc = afterLossAt(160, rtt);
        cc.onEnterRecovery(cc.cwnd(), 0);
        cc.onExitRecovery(cc.cwnd());
        double wMax = 160;
        double cwndEpoch = cc.cwnd() / (double) MSS;
        assertTrue(rfcWCubic(rtt / 1e9, rfcK(wMax, cwndEpoch), wMax) > 1.5 * cwndEpoch);
        long now = 0;
        for (int r = 0; r < 3; r++) {
            long before = cc.cwnd();
            oneRtt(cc, now, rtt);
            now += rtt;
            assertTrue(cc.cwnd() <= before * 1.5 + MSS, before + " -> " + cc.cwnd());
            assertTrue(cc.cwnd() > before * 1.3, before + " -> " + cc.cwnd());
        }
    }
}
