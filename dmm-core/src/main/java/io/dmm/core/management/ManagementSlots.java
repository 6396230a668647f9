package io.dmm.core.management;

import io.dmm.core.runtime.DmmRuntime;
import java.util.List;

/** The slots beyond the file watch: MBeans, HTTP endpoint, remote JMX (filled in as they land). */
final class ManagementSlots {
    private ManagementSlots() {
    }

    static List<ManagementSlot> create(DmmRuntime runtime, RuntimeControl control, boolean jvmWide) {
        return List.of(io.dmm.core.management.jmx.MBeanSlot.forRuntime(runtime, control, jvmWide));
    }
}
