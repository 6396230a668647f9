package io.dmm.stack.userspace.iface;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.stack.userspace.Counter;
import io.dmm.stack.userspace.wire.Checksum;
import io.dmm.stack.userspace.wire.IgmpMessage;
import io.dmm.stack.userspace.wire.Ipv4Address;
import io.dmm.stack.userspace.wire.MacAddress;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The interface's IGMP host side at virtual time: state-change reports on join, block and leave
 * (RFC 3376 5.1), answers to general, group-specific and group-and-source-specific queries within
 * their max response time (5.2), the version 2 and 1 compatibility modes (7), link-local groups
 * never reported, malformed messages dropped and counted.
 */
class IgmpTest {
    private static final int GROUP = Ipv4Address.parse("239.1.2.3");
    private static final int OTHER_GROUP = Ipv4Address.parse("239.7.7.7");
    private static final int SOURCE = Ipv4Address.parse("192.0.2.10");
    private static final int SOURCE2 = Ipv4Address.parse("192.0.2.11");
    private static final int ROUTER = Ipv4Address.parse("10.0.0.254");
    private static final long ROUTER_MAC = MacAddress.parse("02:00:00:00:00:fe");
    private static final long SECOND = 1_000_000_000L;

    private final InterfaceFixture f = new InterfaceFixture();
    private final MulticastGroups groups = f.iface.multicast();

    /** One IGMP message the interface sent, with its IPv4 framing checked. */
    private record Sent(int dst, byte[] igmp) {
        IgmpMessage view() {
            return new IgmpMessage().wrap(MemorySegment.ofArray(igmp), 0, igmp.length);
        }

        int type() {
            return view().type();
        }

        /** (record type, group, sources...) of each record of a version 3 report. */
        List<int[]> records() {
            IgmpMessage m = view();
            List<int[]> out = new ArrayList<>();
            for (int i = 0; i < m.reportRecordCount(); i++) {
                int at = m.recordAt(i);
                int n = m.recordSourceCount(at);
                int[] r = new int[2 + n];
                r[0] = m.recordType(at);
                r[1] = m.recordGroup(at);
                for (int k = 0; k < n; k++) r[2 + k] = m.recordSource(at, k);
                out.add(r);
            }
            return out;
        }
    }

    private List<Sent> sent() {
        List<Sent> out = new ArrayList<>();
        for (byte[] frame : f.device.takeSent()) {
            int ihl = (frame[14] & 0xF) * 4;
            int dst = InterfaceFixture.i32(frame, 30);
            assertEquals(MacAddress.ipv4Multicast(dst), InterfaceFixture.mac(frame, 0), "to the group's MAC");
            assertEquals(24, ihl, "an IPv4 header with the Router Alert option");
            assertEquals(0x94040000, InterfaceFixture.i32(frame, 34), "Router Alert");
            assertEquals(1, frame[22] & 0xFF, "TTL 1");
            assertEquals(0xC0, frame[15] & 0xFF, "TOS internetwork control");
            assertEquals(2, frame[23] & 0xFF, "protocol IGMP");
            assertEquals(InterfaceFixture.OUR_IP, InterfaceFixture.i32(frame, 26));
            MemorySegment m = MemorySegment.ofArray(frame);
            assertTrue(Checksum.verifies(m, 14, ihl), "IPv4 header checksum");
            int total = InterfaceFixture.u16(frame, 16);
            byte[] igmp = java.util.Arrays.copyOfRange(frame, 14 + ihl, 14 + total);
            IgmpMessage v = new IgmpMessage().wrap(MemorySegment.ofArray(igmp), 0, igmp.length);
            assertTrue(v.isValid() && v.checksumValid(), "a valid IGMP message");
            out.add(new Sent(dst, igmp));
        }
        return out;
    }

    private static void assertRecord(int[] record, int type, int group, int... sources) {
        assertEquals(type, record[0], "record type");
        assertEquals(group, record[1], "record group");
        int[] got = java.util.Arrays.copyOfRange(record, 2, record.length);
        java.util.Arrays.sort(got);
        int[] want = sources.clone();
        java.util.Arrays.sort(want);
        assertArrayEquals(want, got, "record sources");
    }

    private Sent onlyReport() {
        List<Sent> s = sent();
        assertEquals(1, s.size(), "one message");
        return s.getFirst();
    }

    private void inject(int dst, byte[] igmp) {
        f.inject(Frames.ipv4(MacAddress.ipv4Multicast(dst), ROUTER_MAC, ROUTER, dst, 2, igmp));
    }

    private static byte[] shortMessage(int type, int code, int group) {
        byte[] b = new byte[8];
        new IgmpMessage().wrap(MemorySegment.ofArray(b), 0, 8).emitShort(type, code, group);
        return b;
    }

    private static byte[] v3Query(int code, int group, int... sources) {
        byte[] b = new byte[12 + 4 * sources.length];
        new IgmpMessage().wrap(MemorySegment.ofArray(b), 0, b.length).emitV3Query(code, group, sources);
        return b;
    }

    /** Runs the timers in 10 ms steps until {@code until} (from now), collecting what was sent and when. */
    private List<Long> pollUntil(long until, List<Sent> collected) {
        List<Long> times = new ArrayList<>();
        long end = f.clock.nanos() + until;
        while (f.clock.nanos() < end) {
            f.clock.advanceMillis(10);
            f.iface.poll(f.clock.nanos());
            for (Sent s : sent()) {
                collected.add(s);
                times.add(f.clock.nanos());
            }
        }
        return times;
    }

    private static SourceFilter anySource(int group) {
        return new SourceFilter(group, true);
    }

    @Test
    void anAnySourceJoinIsReportedAtOnceThenOnceMoreWithinASecond() {
        long joined = f.clock.nanos();
        groups.register(anySource(GROUP));
        Sent first = onlyReport();
        assertEquals(MulticastGroups.V3_REPORTS, first.dst());
        assertEquals(IgmpMessage.TYPE_V3_REPORT, first.type());
        assertEquals(1, first.records().size());
        assertRecord(first.records().getFirst(), IgmpMessage.CHANGE_TO_EXCLUDE, GROUP);
        List<Sent> later = new ArrayList<>();
        List<Long> times = pollUntil(5 * SECOND, later);
        assertEquals(1, later.size(), "robustness 2: one repetition");
        assertTrue(times.getFirst() - joined <= SECOND + 10_000_000L, "within the unsolicited report interval");
        assertArrayEquals(first.igmp(), later.getFirst().igmp());
        assertEquals(2, f.count(Counter.IGMP_REPORTS_SENT));
    }

    @Test
    void sourceSpecificJoinsAllowTheirSourcesAndLeavingBlocksThem() {
        SourceFilter ssm = new SourceFilter(GROUP, false);
        ssm.add(SOURCE);
        groups.register(ssm);
        assertRecord(onlyReport().records().getFirst(), IgmpMessage.ALLOW_NEW_SOURCES, GROUP, SOURCE);
        pollUntil(2 * SECOND, new ArrayList<>());
        ssm.add(SOURCE2);
        groups.changed(ssm);
        assertRecord(onlyReport().records().getFirst(), IgmpMessage.ALLOW_NEW_SOURCES, GROUP, SOURCE2);
        pollUntil(2 * SECOND, new ArrayList<>());
        ssm.remove(SOURCE);
        groups.changed(ssm);
        assertRecord(onlyReport().records().getFirst(), IgmpMessage.BLOCK_OLD_SOURCES, GROUP, SOURCE);
        pollUntil(2 * SECOND, new ArrayList<>());
        groups.unregister(ssm);
        assertRecord(onlyReport().records().getFirst(), IgmpMessage.BLOCK_OLD_SOURCES, GROUP, SOURCE2);
    }

    @Test
    void blockingInAnAnySourceMembershipBlocksAndTheLastLeaveChangesToInclude() {
        SourceFilter a = anySource(GROUP);
        SourceFilter b = anySource(GROUP);
        groups.register(a);
        groups.register(b);
        sent();
        pollUntil(2 * SECOND, new ArrayList<>());
        a.add(SOURCE);
        groups.changed(a);
        assertTrue(sent().isEmpty(), "b still hears SOURCE: the interface state has not changed");
        b.add(SOURCE);
        groups.changed(b);
        assertRecord(onlyReport().records().getFirst(), IgmpMessage.BLOCK_OLD_SOURCES, GROUP, SOURCE);
        assertEquals(1, groups.state(GROUP).sourceCount());
        pollUntil(2 * SECOND, new ArrayList<>());
        groups.unregister(a);
        assertTrue(sent().isEmpty());
        groups.unregister(b);
        assertRecord(onlyReport().records().getFirst(), IgmpMessage.CHANGE_TO_INCLUDE, GROUP);
        assertNull(groups.state(GROUP));
    }

    @Test
    void linkLocalGroupsAreJoinedButNeverReported() {
        int mdns = Ipv4Address.parse("224.0.0.251");
        groups.register(anySource(mdns));
        assertTrue(sent().isEmpty());
        assertTrue(groups.isMember(mdns));
        inject(MulticastGroups.ALL_HOSTS, v3Query(10, 0));
        pollUntil(2 * SECOND, new ArrayList<>());
        assertTrue(sent().isEmpty(), "a general query is not answered for link-local groups");
    }

    @Test
    void aGeneralQueryIsAnsweredWithOneCurrentStateReportWithinItsMaxResponseTime() {
        groups.register(anySource(GROUP));
        SourceFilter ssm = new SourceFilter(OTHER_GROUP, false);
        ssm.add(SOURCE);
        groups.register(ssm);
        pollUntil(3 * SECOND, new ArrayList<>());
        sent();
        long queried = f.clock.nanos();
        inject(MulticastGroups.ALL_HOSTS, v3Query(20, 0));  // 2 s
        assertTrue(sent().isEmpty(), "answered after a random delay, not at once");
        List<Sent> answers = new ArrayList<>();
        List<Long> times = pollUntil(10 * SECOND, answers);
        assertEquals(1, answers.size());
        assertTrue(times.getFirst() - queried <= 2 * SECOND + 10_000_000L);
        List<int[]> records = answers.getFirst().records();
        assertEquals(2, records.size());
        assertRecord(records.get(0), IgmpMessage.MODE_IS_EXCLUDE, GROUP);
        assertRecord(records.get(1), IgmpMessage.MODE_IS_INCLUDE, OTHER_GROUP, SOURCE);
        assertEquals(1, f.count(Counter.IGMP_QUERIES_RX));
    }

    @Test
    void theAnswerComesWithinTheMaxResponseTime() {
        groups.register(anySource(GROUP));
        pollUntil(3 * SECOND, new ArrayList<>());
        long queried = f.clock.nanos();
        inject(MulticastGroups.ALL_HOSTS, v3Query(5, 0));  // 0.5 s
        List<Long> times = pollUntil(3 * SECOND, new ArrayList<>());
        assertEquals(1, times.size());
        assertTrue(times.getFirst() - queried <= SECOND / 2 + 10_000_000L, "answered within 0.5 s");
    }

    @Test
    void groupSpecificQueriesAreAnsweredForTheirGroupOnly() {
        groups.register(anySource(GROUP));
        groups.register(anySource(OTHER_GROUP));
        pollUntil(3 * SECOND, new ArrayList<>());
        sent();
        inject(GROUP, v3Query(10, GROUP));
        List<Sent> answers = new ArrayList<>();
        pollUntil(2 * SECOND, answers);
        assertEquals(1, answers.size());
        assertEquals(1, answers.getFirst().records().size());
        assertRecord(answers.getFirst().records().getFirst(), IgmpMessage.MODE_IS_EXCLUDE, GROUP);
    }

    @Test
    void groupAndSourceSpecificQueriesAreAnsweredWithTheWantedSources() {
        SourceFilter any = anySource(GROUP);
        any.add(SOURCE2);  // blocked
        groups.register(any);
        pollUntil(3 * SECOND, new ArrayList<>());
        sent();
        inject(GROUP, v3Query(10, GROUP, SOURCE, SOURCE2));
        List<Sent> answers = new ArrayList<>();
        pollUntil(2 * SECOND, answers);
        assertEquals(1, answers.size());
        assertRecord(answers.getFirst().records().getFirst(), IgmpMessage.MODE_IS_INCLUDE, GROUP, SOURCE);
    }

    @Test
    void aVersion2QuerierMakesTheHostSpeakVersion2UntilItsTimeoutPasses() {
        groups.register(anySource(GROUP));
        pollUntil(3 * SECOND, new ArrayList<>());
        sent();
        inject(MulticastGroups.ALL_HOSTS, shortMessage(IgmpMessage.TYPE_QUERY, 100, 0));  // v2, 10 s
        assertEquals(2, groups.compatibilityVersion(f.clock.nanos()));
        List<Sent> answers = new ArrayList<>();
        pollUntil(11 * SECOND, answers);
        assertEquals(1, answers.size());
        assertEquals(IgmpMessage.TYPE_V2_REPORT, answers.getFirst().type());
        assertEquals(GROUP, answers.getFirst().dst());
        assertEquals(GROUP, answers.getFirst().view().group());
        // a new join is a version 2 report, a leave a version 2 leave to all routers
        SourceFilter other = anySource(OTHER_GROUP);
        groups.register(other);
        Sent join = onlyReport();
        assertEquals(IgmpMessage.TYPE_V2_REPORT, join.type());
        assertEquals(OTHER_GROUP, join.dst());
        groups.unregister(other);
        Sent leave = onlyReport();
        assertEquals(IgmpMessage.TYPE_LEAVE, leave.type());
        assertEquals(MulticastGroups.ALL_ROUTERS, leave.dst());
        assertEquals(OTHER_GROUP, leave.view().group());
        // robustness 2 x 125 s + 10 s after the query, version 3 again
        f.clock.advanceNanos(2 * MulticastGroups.QUERY_INTERVAL_NANOS);
        f.iface.poll(f.clock.nanos());
        sent();
        assertEquals(3, groups.compatibilityVersion(f.clock.nanos()));
    }

    @Test
    void anotherHostsVersion2ReportSuppressesOurs() {
        groups.register(anySource(GROUP));
        pollUntil(3 * SECOND, new ArrayList<>());
        sent();
        inject(MulticastGroups.ALL_HOSTS, shortMessage(IgmpMessage.TYPE_QUERY, 100, 0));
        inject(GROUP, shortMessage(IgmpMessage.TYPE_V2_REPORT, 0, GROUP));
        List<Sent> answers = new ArrayList<>();
        pollUntil(11 * SECOND, answers);
        assertTrue(answers.isEmpty(), "suppressed");
    }

    @Test
    void aVersion1QuerierGetsVersion1ReportsAndNoLeaves() {
        SourceFilter joined = anySource(GROUP);
        groups.register(joined);
        pollUntil(3 * SECOND, new ArrayList<>());
        sent();
        inject(MulticastGroups.ALL_HOSTS, shortMessage(IgmpMessage.TYPE_QUERY, 0, 0));
        assertEquals(1, groups.compatibilityVersion(f.clock.nanos()));
        List<Sent> answers = new ArrayList<>();
        pollUntil(11 * SECOND, answers);
        assertEquals(1, answers.size());
        assertEquals(IgmpMessage.TYPE_V1_REPORT, answers.getFirst().type());
        groups.unregister(joined);
        assertTrue(sent().isEmpty(), "version 1 has no leave");
        assertNull(groups.state(GROUP));
    }

    @Test
    void malformedIgmpIsDroppedAndCounted() {
        groups.register(anySource(GROUP));
        sent();
        inject(MulticastGroups.ALL_HOSTS, new byte[] {0x11, 10, 0, 0});  // shorter than the header
        byte[] badChecksum = v3Query(10, 0);
        badChecksum[2] ^= 1;
        inject(MulticastGroups.ALL_HOSTS, badChecksum);
        byte[] tenBytes = java.util.Arrays.copyOf(shortMessage(IgmpMessage.TYPE_QUERY, 10, 0), 10);
        inject(MulticastGroups.ALL_HOSTS, tenBytes);  // 9-11 bytes: no query (RFC 3376 7.1)
        byte[] lyingSources = v3Query(10, 0);
        lyingSources[11] = 50;  // 50 sources declared, none there
        inject(MulticastGroups.ALL_HOSTS, lyingSources);
        byte[] unicastGroup = v3Query(10, Ipv4Address.parse("10.1.1.1"));
        inject(MulticastGroups.ALL_HOSTS, unicastGroup);
        assertEquals(4, f.count(Counter.DROP_IGMP_MALFORMED));
        assertEquals(1, f.count(Counter.DROP_IGMP_CHECKSUM));
        assertEquals(0, f.count(Counter.IGMP_QUERIES_RX));
        pollUntil(3 * SECOND, new ArrayList<>());
        assertEquals(1, f.count(Counter.IGMP_REPORTS_SENT) - 1, "only the join's repetition, no answer");
    }

    @Test
    void theDeviceFilterFollowsTheJoinedGroups() {
        SourceFilter a = anySource(GROUP);
        groups.register(a);
        assertArrayEquals(new long[] {MacAddress.ipv4Multicast(MulticastGroups.ALL_HOSTS), MacAddress.ipv4Multicast(GROUP)},
                f.device.multicastFilter);
        groups.unregister(a);
        assertArrayEquals(new long[] {MacAddress.ipv4Multicast(MulticastGroups.ALL_HOSTS)}, f.device.multicastFilter);
    }

    @Test
    void datagramsToJoinedGroupsGoUpAndOthersAreNotForUs() {
        groups.register(anySource(GROUP));
        byte[] udp = Frames.udp(SOURCE, GROUP, 4000, 5000, new byte[] {1, 2, 3});
        f.inject(Frames.ipv4(MacAddress.ipv4Multicast(GROUP), ROUTER_MAC, SOURCE, GROUP, 17, udp));
        assertEquals(1, f.udp.deliveries.size());
        assertEquals(GROUP, f.udp.deliveries.getFirst().dst());
        byte[] other = Frames.udp(SOURCE, OTHER_GROUP, 4000, 5000, new byte[] {1});
        f.inject(Frames.ipv4(MacAddress.ipv4Multicast(OTHER_GROUP), ROUTER_MAC, SOURCE, OTHER_GROUP, 17, other));
        assertEquals(1, f.count(Counter.DROP_NOT_FOR_US), "the group's MAC is filtered");
        // 239.129.2.3 shares 239.1.2.3's MAC (23 bits): taken by the MAC filter, dropped by IP
        int sameMac = Ipv4Address.parse("239.129.2.3");
        byte[] alias = Frames.udp(SOURCE, sameMac, 4000, 5000, new byte[] {1});
        f.inject(Frames.ipv4(MacAddress.ipv4Multicast(sameMac), ROUTER_MAC, SOURCE, sameMac, 17, alias));
        assertEquals(1, f.count(Counter.DROP_IPV4_NOT_FOR_US));
        f.udp.accept = false;  // no socket: still never an ICMP error about a multicast datagram
        f.inject(Frames.ipv4(MacAddress.ipv4Multicast(GROUP), ROUTER_MAC, SOURCE, GROUP, 17, udp));
        assertEquals(0, f.count(Counter.ICMP_UNREACHABLE_SENT));
        assertEquals(2, f.udp.deliveries.size());
    }

    @Test
    void sendingToAGroupUsesTheGivenTtlAndTosAndLoopsBackToMembersWhenAsked() {
        groups.register(anySource(GROUP));
        sent();
        byte[] udp = Frames.udp(InterfaceFixture.OUR_IP, GROUP, 4000, 5000, new byte[] {9});
        assertTrue(f.iface.begin(0, GROUP, 17));
        MemorySegment.copy(MemorySegment.ofArray(udp), 0, f.iface.memory(), f.iface.l4Offset(), udp.length);
        f.iface.ipFields(4, 0xB9, true);
        f.iface.send(udp.length);
        List<byte[]> frames = f.device.takeSent();
        assertEquals(1, frames.size());
        byte[] frame = frames.getFirst();
        assertEquals(MacAddress.ipv4Multicast(GROUP), InterfaceFixture.mac(frame, 0));
        assertEquals(4, frame[22] & 0xFF, "TTL as given");
        assertEquals(0xB9, frame[15] & 0xFF, "DSCP and ECN as given");
        assertTrue(Checksum.verifies(MemorySegment.ofArray(frame), 14, 20));
        assertEquals(0, f.udp.deliveries.size());
        f.iface.drainLocal();
        assertEquals(1, f.udp.deliveries.size(), "looped back to this host's members");
        assertTrue(f.iface.begin(0, GROUP, 17));
        MemorySegment.copy(MemorySegment.ofArray(udp), 0, f.iface.memory(), f.iface.l4Offset(), udp.length);
        f.iface.ipFields(-1, 0, false);
        f.iface.send(udp.length);
        f.iface.drainLocal();
        assertEquals(1, f.udp.deliveries.size(), "IP_MULTICAST_LOOP off: no copy");
        assertEquals(1, f.device.takeSent().size());
    }
}
