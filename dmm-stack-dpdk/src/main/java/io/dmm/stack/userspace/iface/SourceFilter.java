package io.dmm.stack.userspace.iface;

import java.util.Arrays;

/**
 * One socket's reception state for one multicast group (RFC 3376 3.1): EXCLUDE mode with the
 * sources it blocked (an any-source join) or INCLUDE mode with the sources it joined
 * (source-specific joins). The interface merges every socket's filter for a group into its own
 * state ({@link MulticastGroups}) and the UDP layer asks {@link #allows} per datagram. Changed
 * only under the stack's lock, and then reported to {@link MulticastGroups#changed}.
 */
public final class SourceFilter {
    private final int group;
    private final boolean exclude;
    private int[] sources = new int[4];
    private int count;

    public SourceFilter(int group, boolean exclude) {
        this.group = group;
        this.exclude = exclude;
    }

    public int group() {
        return group;
    }

    /** EXCLUDE mode (any source but the listed ones); else INCLUDE (only the listed ones). */
    public boolean excludeMode() {
        return exclude;
    }

    public int sourceCount() {
        return count;
    }

    public int source(int i) {
        return sources[i];
    }

    /** Whether a datagram from {@code source} passes this filter. */
    public boolean allows(int source) {
        return contains(source) != exclude;
    }

    public boolean contains(int source) {
        for (int i = 0; i < count; i++) if (sources[i] == source) return true;
        return false;
    }

    /** Lists {@code source}; false if it already was. */
    public boolean add(int source) {
        if (contains(source)) return false;
        if (count == sources.length) sources = Arrays.copyOf(sources, count * 2);
        sources[count++] = source;
        return true;
    }

    /** Unlists {@code source}; false if it was not listed. */
    public boolean remove(int source) {
        for (int i = 0; i < count; i++) {
            if (sources[i] == source) {
                sources[i] = sources[--count];
                return true;
            }
        }
        return false;
    }
}
