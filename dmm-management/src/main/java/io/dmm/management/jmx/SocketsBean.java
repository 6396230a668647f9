package io.dmm.management.jmx;

import io.dmm.api.DmmControl;
import io.dmm.api.SocketInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@link SocketsMXBean} over a runtime's socket table. */
final class SocketsBean implements SocketsMXBean {
    private final DmmControl control;

    SocketsBean(DmmControl control) {
        this.control = control;
    }

    @Override
    public int getCount() {
        return control.sockets().size();
    }

    @Override
    public List<SocketRow> getSockets() {
        Instant now = Instant.now();
        List<SocketInfo> open = control.sockets();
        List<SocketRow> rows = new ArrayList<>(open.size());
        for (SocketInfo s : open) {
            rows.add(SocketRow.of(s, now));
        }
        return rows;
    }
}
