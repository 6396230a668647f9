package io.dmm.stack.userspace.iface;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dmm.stack.userspace.Counter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * However a datagram is cut, reordered and partly repeated (with overlapping but identical
 * pieces), it is delivered exactly once, byte for byte, at the moment its last byte arrives.
 */
class ReassemblyPropertiesTest {

    @Property(tries = 300, seed = "20261121")
    void anyCoverInAnyOrderIsDeliveredOnceWhenComplete(@ForAll long seed, @ForAll @IntRange(min = 9, max = 5000) int udpPayload,
                                                        @ForAll @IntRange(min = 1, max = 12) int cuts,
                                                        @ForAll @IntRange(max = 6) int extras) {
        Random rnd = new Random(seed);
        byte[] data = new byte[udpPayload];
        rnd.nextBytes(data);
        InterfaceFixture f = new InterfaceFixture();
        byte[] datagram = Frames.udp(InterfaceFixture.PEER_IP, InterfaceFixture.OUR_IP, 1, 2, data);
        int len = datagram.length;
        int units = (len - 1) / 8;  // cut points k*8 with 0 < k*8 < len
        TreeSet<Integer> points = new TreeSet<>();
        for (int i = 0; i < cuts && units > 0; i++) points.add(8 * (1 + rnd.nextInt(units)));
        points.add(0);
        points.add(len);
        List<int[]> pieces = new ArrayList<>();
        Integer prev = null;
        for (int p : points) {
            if (prev != null) pieces.add(new int[] {prev, p});
            prev = p;
        }
        for (int i = 0; i < extras && units > 0; i++) {
            int a = 8 * rnd.nextInt(units + 1);
            int b = Math.min(len, a + 8 * (1 + rnd.nextInt(units)));
            if (a < b) pieces.add(new int[] {a, b});
        }
        Collections.shuffle(pieces, rnd);

        boolean[] covered = new boolean[len];
        int missing = len;
        for (int[] piece : pieces) {
            byte[] frame = Frames.fragment(InterfaceFixture.OUR_MAC, InterfaceFixture.PEER_MAC, InterfaceFixture.PEER_IP,
                    InterfaceFixture.OUR_IP, 17, 77, piece[0], piece[1] != len, datagram, 0, piece[1] - piece[0]);
            if (piece[0] == 0 && piece[1] == len) continue;  // not a fragment: one piece cut at nothing
            f.inject(frame);
            for (int i = piece[0]; i < piece[1]; i++) if (!covered[i]) {
                covered[i] = true;
                missing--;
            }
            if (missing == 0) break;
            assertEquals(0, f.udp.deliveries.size(), "delivered before complete");
        }
        if (pieces.size() == 1) return;
        assertEquals(1, f.udp.deliveries.size());
        assertArrayEquals(datagram, f.udp.deliveries.get(0).bytes());
        assertEquals(0, f.count(Counter.DROP_IPV4_FRAGMENT));
        assertEquals(1, f.count(Counter.IPV4_FRAGMENTS_REASSEMBLED));
    }
}
