package io.dmm.stack.userspace.iface;

import io.dmm.stack.userspace.Counter;
import io.dmm.stack.userspace.StackCounters;
import io.dmm.stack.userspace.time.Clock;
import io.dmm.stack.userspace.wire.IgmpMessage;
import io.dmm.stack.userspace.wire.Ipv4Address;
import io.dmm.stack.userspace.wire.MacAddress;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The interface's multicast memberships and its IGMP host side (RFC 3376, with the RFC 2236 and
 * RFC 1112 compatibility modes of RFC 3376 7). Sockets register one {@link SourceFilter} per group
 * they joined; the interface's state for a group is their merge (RFC 3376 3.2): EXCLUDE of the
 * sources every any-source member blocks and no source-specific member wants, else INCLUDE of every
 * source wanted. What it answers and reports:
 * <ul>
 *   <li>a state change (join, leave, block, unblock) sends a version 3 state-change report at once
 *       (ALLOW/BLOCK records, or TO_IN/TO_EX when the mode changes) and once more at a random
 *       point of the next second (robustness 2); in version 2 mode a report on join (again within
 *       10 s) and a leave to 224.0.0.2, in version 1 mode the report only;</li>
 *   <li>a general query is answered with one current-state report of every group (IS_IN/IS_EX),
 *       a group-specific or group-and-source-specific query with that group's state, each at a
 *       random point within the query's max response time; in version 1/2 mode a report per group,
 *       suppressed when another host's report for it is heard first (RFC 2236 3);</li>
 *   <li>a version 1 or 2 query puts the host in that version's mode until the older querier present
 *       timeout (robustness × query interval + its max response time) passes, as Linux does.</li>
 * </ul>
 * Groups 224.0.0.0/24 are link-local: received, never reported. 224.0.0.1 is always joined.
 * Malformed IGMP is dropped and counted, never thrown. Under the stack's lock.
 */
public final class MulticastGroups {
    public static final int ALL_HOSTS = Ipv4Address.of(224, 0, 0, 1);
    public static final int ALL_ROUTERS = Ipv4Address.of(224, 0, 0, 2);
    public static final int V3_REPORTS = Ipv4Address.of(224, 0, 0, 22);
    static final int ROBUSTNESS = 2;
    static final long QUERY_INTERVAL_NANOS = 125_000_000_000L;
    static final long V3_UNSOLICITED_REPORT_NANOS = 1_000_000_000L;
    static final long V2_UNSOLICITED_REPORT_NANOS = 10_000_000_000L;
    private static final long NONE = Long.MAX_VALUE;
    private static final long NEVER = Long.MIN_VALUE;

    /** Where IGMP messages go and who hears that the set of joined groups changed: the interface. */
    public interface Output {
        /** Sends the IGMP message in {@code message[0, length)} to {@code dstIp} (TTL 1, Router Alert). */
        void sendIgmp(int dstIp, MemorySegment message, int length);

        /** The set of groups with at least one member changed (device multicast filters follow it). */
        void membershipChanged();
    }

    /** A group record waiting to be sent again (a state change's retransmission). */
    private record Change(int type, int[] sources) {}

    private static final class Group {
        final int address;
        final List<SourceFilter> filters = new ArrayList<>(2);
        /** The merged state; INCLUDE of nothing is "not a member". */
        SourceFilter state;
        /** The records of the last state change, to send again at {@link #changeAt}. */
        List<Change> changes = List.of();
        int retransmitsLeft;
        long changeAt = NONE;
        /** When a query for this group is answered; the sources it asked about (null: the whole group). */
        long queryAt = NONE;
        SourceFilter querySources;

        Group(int address) {
            this.address = address;
            this.state = new SourceFilter(address, false);
        }

        boolean isMember() {
            return state.excludeMode() || state.sourceCount() > 0;
        }
    }

    private final Output out;
    private final Clock clock;
    private final StackCounters counters;
    private final SplittableRandom random;
    private final int maxMessage;
    private final List<Group> groups = new ArrayList<>();
    private final IgmpMessage rx = new IgmpMessage();
    private final IgmpMessage tx = new IgmpMessage();
    private final MemorySegment scratch;
    /** Joined groups (224.0.0.1 first) and their MACs, for the receive path. */
    private int[] members = {ALL_HOSTS};
    private long[] memberMacs = {MacAddress.ipv4Multicast(ALL_HOSTS)};
    /** Until when an older querier was heard (clock nanos), or NEVER. */
    private long olderV1Until = NEVER;
    private long olderV2Until = NEVER;
    private long generalReportAt = NONE;

    /** {@code maxMessage}: the largest IGMP message that fits in a packet (MTU less a 24-byte IPv4 header). */
    public MulticastGroups(Output out, Clock clock, StackCounters counters, long seed, int maxMessage) {
        this.out = out;
        this.clock = clock;
        this.counters = counters;
        this.random = new SplittableRandom(seed);
        this.maxMessage = maxMessage;
        this.scratch = MemorySegment.ofArray(new byte[maxMessage]);
    }

    // ------------------------------------------------------------------ membership

    /** Adds a socket's filter for its group (the socket joined it); reports the change. */
    public void register(SourceFilter filter) {
        Group g = find(filter.group());
        if (g == null) {
            g = new Group(filter.group());
            groups.add(g);
        }
        g.filters.add(filter);
        update(g, clock.nanos());
    }

    /** Removes a socket's filter (it left the group, or closed); reports the change. */
    public void unregister(SourceFilter filter) {
        Group g = find(filter.group());
        if (g == null || !g.filters.remove(filter)) return;
        update(g, clock.nanos());
    }

    /** A registered filter's sources changed (block, unblock, another source-specific join or drop). */
    public void changed(SourceFilter filter) {
        Group g = find(filter.group());
        if (g != null) update(g, clock.nanos());
    }

    /** Whether a datagram to {@code group} is for this host: a member socket's group, or 224.0.0.1. */
    public boolean isMember(int group) {
        for (int m : members) if (m == group) return true;
        return false;
    }

    /** Whether frames to this group MAC are for this host. */
    public boolean acceptsMac(long mac) {
        for (long m : memberMacs) if (m == mac) return true;
        return false;
    }

    /** The MACs of the joined groups, 224.0.0.1's first: what a device's multicast filter must pass. */
    public long[] memberMacs() {
        return memberMacs.clone();
    }

    /** The interface's state for {@code group}: null when not a member. For tests and diagnostics. */
    public SourceFilter state(int group) {
        Group g = find(group);
        return g != null && g.isMember() ? g.state : null;
    }

    /** The IGMP version the host speaks now: 3, or 1/2 while an older querier was heard (RFC 3376 7.2.1). */
    public int compatibilityVersion(long now) {
        if (olderV1Until != NEVER && now - olderV1Until < 0) return 1;
        if (olderV2Until != NEVER && now - olderV2Until < 0) return 2;
        return 3;
    }

    private Group find(int address) {
        for (Group g : groups) if (g.address == address) return g;
        return null;
    }

    private static boolean reportable(int group) {
        return (group & 0xFFFFFF00) != Ipv4Address.of(224, 0, 0, 0);
    }

    private void update(Group g, long now) {
        SourceFilter old = g.state;
        g.state = merge(g);
        boolean was = old.excludeMode() || old.sourceCount() > 0;
        boolean is = g.isMember();
        if (was != is) membersChanged();
        if (reportable(g.address)) {
            int version = compatibilityVersion(now);
            if (version == 3) {
                List<Change> changes = changes(old, g.state);
                if (!changes.isEmpty()) {
                    sendV3(g.address, changes);
                    // a change while the last one is still being repeated: repeat the whole state instead
                    g.changes = g.retransmitsLeft > 0 ? List.of(modeChange(g.state)) : changes;
                    g.retransmitsLeft = ROBUSTNESS - 1;
                    g.changeAt = now + delay(V3_UNSOLICITED_REPORT_NANOS);
                }
            } else if (!was && is) {
                sendShortReport(g.address, version);
                g.changes = List.of();
                g.retransmitsLeft = ROBUSTNESS - 1;
                g.changeAt = now + delay(V2_UNSOLICITED_REPORT_NANOS);
            } else if (was && !is) {
                if (version == 2) sendShort(IgmpMessage.TYPE_LEAVE, ALL_ROUTERS, g.address, Counter.IGMP_LEAVES_SENT);
                g.retransmitsLeft = 0;
                g.changeAt = NONE;
            }
        }
        if (!is) g.queryAt = NONE;
        removeIfDone(g);
    }

    private void removeIfDone(Group g) {
        if (!g.isMember() && g.filters.isEmpty() && g.retransmitsLeft == 0) groups.remove(g);
    }

    /** The interface state of RFC 3376 3.2 from the sockets' filters. */
    private static SourceFilter merge(Group g) {
        SourceFilter firstExclude = null;
        for (SourceFilter f : g.filters) {
            if (f.excludeMode()) {
                firstExclude = f;
                break;
            }
        }
        SourceFilter merged = new SourceFilter(g.address, firstExclude != null);
        if (firstExclude != null) {
            for (int i = 0; i < firstExclude.sourceCount(); i++) {
                int s = firstExclude.source(i);
                boolean blockedByAll = true;
                for (SourceFilter f : g.filters) {
                    // blocked by every EXCLUDE member and wanted by no INCLUDE member
                    if (f.excludeMode() != f.contains(s)) {
                        blockedByAll = false;
                        break;
                    }
                }
                if (blockedByAll) merged.add(s);
            }
        } else {
            for (SourceFilter f : g.filters) {
                for (int i = 0; i < f.sourceCount(); i++) merged.add(f.source(i));
            }
        }
        return merged;
    }

    /** The state-change records from {@code old} to {@code now} (RFC 3376 5.1's table). */
    private static List<Change> changes(SourceFilter old, SourceFilter now) {
        if (old.excludeMode() != now.excludeMode()) return List.of(modeChange(now));
        int[] added = minus(now, old);
        int[] removed = minus(old, now);
        // INCLUDE: new sources are allowed; EXCLUDE: newly excluded sources are blocked
        int[] allow = now.excludeMode() ? removed : added;
        int[] block = now.excludeMode() ? added : removed;
        List<Change> c = new ArrayList<>(2);
        if (allow.length > 0) c.add(new Change(IgmpMessage.ALLOW_NEW_SOURCES, allow));
        if (block.length > 0) c.add(new Change(IgmpMessage.BLOCK_OLD_SOURCES, block));
        return c;
    }

    private static Change modeChange(SourceFilter state) {
        return new Change(state.excludeMode() ? IgmpMessage.CHANGE_TO_EXCLUDE : IgmpMessage.CHANGE_TO_INCLUDE, sources(state));
    }

    private static int[] sources(SourceFilter f) {
        int[] s = new int[f.sourceCount()];
        for (int i = 0; i < s.length; i++) s[i] = f.source(i);
        return s;
    }

    private static int[] minus(SourceFilter a, SourceFilter b) {
        int n = 0;
        int[] r = new int[a.sourceCount()];
        for (int i = 0; i < a.sourceCount(); i++) if (!b.contains(a.source(i))) r[n++] = a.source(i);
        return Arrays.copyOf(r, n);
    }

    private void membersChanged() {
        int n = 1;
        for (Group g : groups) if (g.isMember() && g.address != ALL_HOSTS) n++;
        int[] m = new int[n];
        long[] macs = new long[n];
        m[0] = ALL_HOSTS;
        macs[0] = MacAddress.ipv4Multicast(ALL_HOSTS);
        int i = 1;
        for (Group g : groups) {
            if (g.isMember() && g.address != ALL_HOSTS) {
                m[i] = g.address;
                macs[i++] = MacAddress.ipv4Multicast(g.address);
            }
        }
        members = m;
        memberMacs = macs;
        out.membershipChanged();
    }

    /** A uniformly random delay in [0, bound]. */
    private long delay(long bound) {
        return bound <= 0 ? 0 : random.nextLong(bound + 1);
    }

    // ------------------------------------------------------------------ timers

    /** Sends what is due (repeated state changes, query answers); returns when it next needs to run. */
    public long poll(long now) {
        int version = compatibilityVersion(now);
        for (int i = groups.size() - 1; i >= 0; i--) {
            Group g = groups.get(i);
            if (now - g.changeAt >= 0 && g.changeAt != NONE) {
                if (version == 3) {
                    if (!g.changes.isEmpty()) sendV3(g.address, g.changes);
                } else if (g.isMember()) {
                    sendShortReport(g.address, version);
                }
                g.retransmitsLeft--;
                g.changeAt = g.retransmitsLeft > 0
                        ? now + delay(version == 3 ? V3_UNSOLICITED_REPORT_NANOS : V2_UNSOLICITED_REPORT_NANOS) : NONE;
            }
            if (now - g.queryAt >= 0 && g.queryAt != NONE) {
                g.queryAt = NONE;
                if (g.isMember()) answerGroupQuery(g, version);
                g.querySources = null;
            }
            removeIfDone(g);
        }
        if (generalReportAt != NONE && now - generalReportAt >= 0) {
            generalReportAt = NONE;
            sendCurrentState();
        }
        return nextDeadline();
    }

    /** When {@link #poll} next has something to send; Long.MAX_VALUE for never. */
    public long nextDeadline() {
        long next = generalReportAt;
        // indexed: polled on every turn of the loop, which must not allocate an iterator
        for (int i = 0, n = groups.size(); i < n; i++) {
            Group g = groups.get(i);
            next = Math.min(next, Math.min(g.changeAt, g.queryAt));
        }
        return next;
    }

    private void answerGroupQuery(Group g, int version) {
        if (version < 3) {
            sendShortReport(g.address, version);
            return;
        }
        SourceFilter asked = g.querySources;
        if (asked == null) {
            sendV3(g.address, List.of(currentState(g.state)));
            return;
        }
        // RFC 3376 5.2: of the sources asked about, those the host wants to hear, as IS_IN
        int[] wanted = g.state.excludeMode() ? minus(asked, g.state) : intersection(asked, g.state);
        if (wanted.length > 0) sendV3(g.address, List.of(new Change(IgmpMessage.MODE_IS_INCLUDE, wanted)));
    }

    private static int[] intersection(SourceFilter a, SourceFilter b) {
        int n = 0;
        int[] r = new int[a.sourceCount()];
        for (int i = 0; i < a.sourceCount(); i++) if (b.contains(a.source(i))) r[n++] = a.source(i);
        return Arrays.copyOf(r, n);
    }

    private static Change currentState(SourceFilter state) {
        return new Change(state.excludeMode() ? IgmpMessage.MODE_IS_EXCLUDE : IgmpMessage.MODE_IS_INCLUDE, sources(state));
    }

    private void sendCurrentState() {
        int at = IgmpMessage.V3_REPORT_HEADER_LENGTH;
        int records = 0;
        for (Group g : groups) {
            if (!g.isMember() || !reportable(g.address)) continue;
            Change c = currentState(g.state);
            int size = IgmpMessage.RECORD_HEADER_LENGTH + 4 * c.sources().length;
            if (records > 0 && at + size > maxMessage) {
                finishV3(at, records);
                at = IgmpMessage.V3_REPORT_HEADER_LENGTH;
                records = 0;
            }
            at = putRecord(at, g.address, c);
            records++;
        }
        if (records > 0) finishV3(at, records);
    }

    // ------------------------------------------------------------------ ingress

    /**
     * An IGMP message from {@code src} (the IPv4 payload; IGMP checksums are always verified, devices
     * only vouch for TCP/UDP). {@code fromUs}: one of our own addresses sent it (a loopback device
     * reflects what we send); it is then ignored.
     */
    public void ingress(MemorySegment memory, long offset, int length, boolean fromUs, long now) {
        counters.increment(Counter.IGMP_RX);
        IgmpMessage m = rx.wrap(memory, offset, length);
        if (!m.isValid()) {
            counters.increment(Counter.DROP_IGMP_MALFORMED);
            return;
        }
        if (!m.checksumValid()) {
            counters.increment(Counter.DROP_IGMP_CHECKSUM);
            return;
        }
        if (fromUs) return;
        int type = m.type();
        if (type == IgmpMessage.TYPE_QUERY) {
            query(m, now);
        } else if (type == IgmpMessage.TYPE_V1_REPORT || type == IgmpMessage.TYPE_V2_REPORT) {
            // another member answered: ours would say nothing new (RFC 2236 3; version 3 never suppresses)
            Group g = find(m.group());
            if (g != null && compatibilityVersion(now) < 3) g.queryAt = NONE;
        }
        // leaves and version 3 reports are for routers
    }

    private void query(IgmpMessage m, long now) {
        int group = m.group();
        if (group != 0 && (group >>> 28) != 0xE) {
            counters.increment(Counter.DROP_IGMP_MALFORMED);
            return;
        }
        counters.increment(Counter.IGMP_QUERIES_RX);
        int queryVersion = m.queryVersion();
        long maxResponse = m.maxResponseNanos();
        if (queryVersion == 1) olderV1Until = now + ROBUSTNESS * QUERY_INTERVAL_NANOS + maxResponse;
        else if (queryVersion == 2) olderV2Until = now + ROBUSTNESS * QUERY_INTERVAL_NANOS + maxResponse;
        if (compatibilityVersion(now) < 3) {
            // answered per group with version 1/2 reports, whatever the query's version (RFC 3376 7.2.1)
            for (Group g : groups) {
                if ((group == 0 || g.address == group) && g.isMember() && reportable(g.address)) {
                    g.queryAt = Math.min(g.queryAt, now + delay(maxResponse));
                    g.querySources = null;
                }
            }
            return;
        }
        long at = now + delay(maxResponse);
        int sources = m.querySourceCount();
        if (group == 0) {
            generalReportAt = Math.min(generalReportAt, at);  // RFC 3376 5.2 rule 1-2: one pending general answer
            return;
        }
        Group g = find(group);
        if (g == null || !g.isMember() || !reportable(group)) return;
        boolean pending = g.queryAt != NONE;
        if (sources == 0) {
            g.querySources = null;  // the whole group is asked about, whatever was pending
        } else if (!pending || g.querySources != null) {
            if (!pending) g.querySources = new SourceFilter(group, false);
            for (int i = 0; i < sources; i++) g.querySources.add(m.querySource(i));
        }
        g.queryAt = Math.min(g.queryAt, at);
    }

    // ------------------------------------------------------------------ sending

    private void sendShortReport(int group, int version) {
        sendShort(version == 1 ? IgmpMessage.TYPE_V1_REPORT : IgmpMessage.TYPE_V2_REPORT, group, group, Counter.IGMP_REPORTS_SENT);
    }

    private void sendShort(int type, int dst, int group, Counter counter) {
        tx.wrap(scratch, 0, IgmpMessage.HEADER_LENGTH).emitShort(type, 0, group);
        out.sendIgmp(dst, scratch, IgmpMessage.HEADER_LENGTH);
        counters.increment(counter);
    }

    private void sendV3(int group, List<Change> changes) {
        int at = IgmpMessage.V3_REPORT_HEADER_LENGTH;
        for (Change c : changes) at = putRecord(at, group, c);
        finishV3(at, changes.size());
    }

    private int putRecord(int at, int group, Change c) {
        // a record too long for one packet keeps the sources that fit (a host with thousands of
        // sources per group is beyond what this stack is for)
        int fit = Math.min(c.sources().length, (maxMessage - at - IgmpMessage.RECORD_HEADER_LENGTH) / 4);
        return tx.wrap(scratch, 0, maxMessage).putRecord(at, c.type(), group, c.sources(), fit);
    }

    private void finishV3(int length, int records) {
        tx.wrap(scratch, 0, maxMessage).emitV3ReportHeader(records);
        tx.fillChecksum(length);
        out.sendIgmp(V3_REPORTS, scratch, length);
        counters.increment(Counter.IGMP_REPORTS_SENT);
    }
}
