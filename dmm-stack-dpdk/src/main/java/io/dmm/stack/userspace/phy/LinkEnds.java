package io.dmm.stack.userspace.phy;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Named two-ended links between stack instances of this JVM (in-memory pair links, DPDK ring
 * links): the first instance naming a link gets end 0, the second end 1, a third is refused, and
 * both ends must agree on the MTU. The link is forgotten when both ends are released, so its name
 * can be used again. Thread-safe.
 *
 * @param <L> what a link is (a device pair, two ring ports)
 */
public final class LinkEnds<L> {
    private final String kind;
    private final Map<String, Entry<L>> links = new HashMap<>();

    /** @param kind what the links are called in messages, e.g. {@code "pair link"} */
    public LinkEnds(String kind) {
        this.kind = kind;
    }

    /** An end claimed: {@code link} and which end of it (0 or 1). */
    public record Claim<L>(L link, int end) {}

    private static final class Entry<L> {
        final L link;
        final int mtu;
        final String[] owner = new String[2];

        Entry(L link, int mtu) {
            this.link = link;
            this.mtu = mtu;
        }
    }

    /**
     * Claims a free end of link {@code name} for {@code instance}, creating the link with
     * {@code create} when nobody holds it. Throws IllegalArgumentException when the link's MTU
     * differs or both ends are taken.
     */
    public synchronized Claim<L> claim(String name, String instance, int mtu, Supplier<L> create) {
        Entry<L> e = links.get(name);
        if (e == null) {
            e = new Entry<>(create.get(), mtu);
            links.put(name, e);
        }
        if (e.mtu != mtu) {
            throw new IllegalArgumentException(kind + " \"" + name + "\" has MTU " + e.mtu + " on instance "
                    + e.owner[0] + " but " + mtu + " on " + instance + "; both ends need the same MTU");
        }
        int end = e.owner[0] == null ? 0 : e.owner[1] == null ? 1 : -1;
        if (end < 0) {
            throw new IllegalArgumentException(kind + " \"" + name + "\" already connects " + e.owner[0] + " and "
                    + e.owner[1] + "; a " + kind + " has two ends");
        }
        e.owner[end] = instance;
        return new Claim<>(e.link, end);
    }

    /**
     * Gives back {@code end} of {@code link}. Returns true when the link has no end left (it is
     * forgotten, and the caller frees it).
     */
    public synchronized boolean release(String name, L link, int end) {
        Entry<L> e = links.get(name);
        if (e == null || e.link != link) return false;
        e.owner[end] = null;
        if (e.owner[0] != null || e.owner[1] != null) return false;
        links.remove(name);
        return true;
    }
}
