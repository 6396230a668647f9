package io.dmm.management.jmx;

import java.util.List;

/**
 * {@code io.dmm:type=Sockets}: the open DMM sockets, oldest first — the JVM's equivalent of
 * {@code ss}, {@code vma_stats} or {@code onload_stackdump}.
 */
public interface SocketsMXBean {
    int getCount();

    /** One CompositeData per socket, items as in {@link SocketRow}. */
    List<SocketRow> getSockets();
}
