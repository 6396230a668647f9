package io.dmm.stack.userspace.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dmm.stack.userspace.Counter;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The fuzz test's seeds do reach what they are named for (a seed the stack silently drops would
 * leave the fuzzer starting from nothing): each is fed to a fresh harness and its effect counted.
 */
class FrameIngressSeedsTest {
    @Test
    void eachSeedReachesItsTarget() throws IOException {
        expect("syn", Map.of(Counter.TCP_SEGMENTS_RX, 1L, Counter.TCP_RST_SENT, 0L, Counter.DROP_TCP_CHECKSUM, 0L));
        expect("syn_checksummed", Map.of(Counter.TCP_SEGMENTS_RX, 1L, Counter.DROP_TCP_CHECKSUM, 0L,
                Counter.DROP_IPV4_CHECKSUM, 0L));
        expect("arp_request", Map.of(Counter.ARP_REPLIES_SENT, 1L));
        expect("icmp_echo", Map.of(Counter.ICMP_ECHO_REPLIES_SENT, 1L));
        expect("udp_datagram", Map.of(Counter.UDP_DATAGRAMS_RX, 1L));
        expect("arp_then_syn_then_ack", Map.of(Counter.ARP_REPLIES_SENT, 1L, Counter.TCP_SEGMENTS_RX, 2L));
    }

    private static void expect(String seed, Map<Counter, Long> deltas) throws IOException {
        byte[] input;
        try (InputStream in = FrameIngressSeedsTest.class.getResourceAsStream("FrameIngressFuzzTestInputs/frames/" + seed)) {
            input = in.readAllBytes();
        }
        try (FrameIngressFuzzTest.Harness h = new FrameIngressFuzzTest.Harness()) {
            h.lock.lock();
            try {
                Map<String, Long> before = h.counters.snapshot();
                h.feed(input);
                h.settle();
                for (Map.Entry<Counter, Long> e : deltas.entrySet()) {
                    long delta = h.counters.get(e.getKey()) - before.get(e.getKey().key());
                    assertEquals(e.getValue(), delta, seed + ": " + e.getKey().key() + " in " + h.counters.snapshot());
                }
                h.checkInvariants();
            } finally {
                h.lock.unlock();
            }
        }
    }
}
