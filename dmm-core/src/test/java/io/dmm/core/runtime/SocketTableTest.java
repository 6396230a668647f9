package io.dmm.core.runtime;

import io.dmm.core.routing.SocketTable;
import static org.junit.jupiter.api.Assertions.*;

import io.dmm.api.Protocol;
import io.dmm.api.SocketInfo;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The table itself: ids, counters, unregistering once, listing order, sockets dropped unclosed. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SocketTableTest {
    /** A socket that describes itself by its entry alone. */
    static final class Fake implements SocketTable.Tracked {
        Runnable whileDescribed = () -> { };

        @Override
        public SocketInfo describe(SocketTable.Entry e) {
            whileDescribed.run();
            return new SocketInfo(e.id(), "s", Protocol.TCP, "client", null, null, "established", e.bytesIn(),
                    e.bytesOut(), e.opened(), 1, "default");
        }
    }

    @Test
    void rowsInOpeningOrderWithTheirCountersAndEachSocketUnregisteredOnce() {
        SocketTable table = new SocketTable();
        Fake a = new Fake();
        Fake b = new Fake();
        SocketTable.Entry ea = table.register(a);
        SocketTable.Entry eb = table.register(b);
        assertTrue(eb.id() > ea.id());
        ea.addIn(10);
        ea.addIn(5);
        eb.addOut(7);
        List<SocketInfo> rows = table.list();
        assertEquals(List.of(ea.id(), eb.id()), rows.stream().map(SocketInfo::id).toList());
        assertEquals(15, rows.get(0).bytesIn());
        assertEquals(7, rows.get(1).bytesOut());
        assertTrue(table.contains(ea));
        assertTrue(table.unregister(ea));
        assertFalse(table.unregister(ea), "a second unregister finds nothing");
        assertFalse(table.unregister(null));
        assertFalse(table.contains(ea));
        assertEquals(List.of(eb.id()), table.list().stream().map(SocketInfo::id).toList());
        assertEquals(1, table.size());
    }

    @Test
    void aSocketClosedWhileTheTableIsListedIsLeftOut() {
        SocketTable table = new SocketTable();
        Fake closing = new Fake();
        SocketTable.Entry e = table.register(closing);
        closing.whileDescribed = () -> table.unregister(e);
        Fake staying = new Fake();
        SocketTable.Entry kept = table.register(staying);
        assertEquals(List.of(kept.id()), table.list().stream().map(SocketInfo::id).toList());
    }

    @Test
    void aSocketDroppedWithoutClosingItLeavesTheTableOnceCollected() throws Exception {
        SocketTable table = new SocketTable();
        Fake kept = new Fake();
        table.register(kept);
        table.register(new Fake()); // dropped at once, never unregistered
        assertEquals(2, table.size());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (table.list().size() != 1) {
            assertTrue(System.nanoTime() < deadline, "the dropped socket was never collected");
            System.gc();
            Thread.sleep(10);
        }
        assertEquals(1, table.size(), "the listing removed its entry");
        assertNotNull(kept); // reachable until here
    }
}
