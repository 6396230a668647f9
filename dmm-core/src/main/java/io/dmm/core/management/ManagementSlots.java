package io.dmm.core.management;

import io.dmm.core.management.http.HttpEndpoint;
import io.dmm.core.management.jmx.MBeanSlot;
import io.dmm.core.management.remote.RemoteJmxSlot;
import io.dmm.core.runtime.DmmRuntime;
import java.util.List;

/** The slots beyond the file watch and the health watch: MBeans, HTTP endpoint, remote JMX. */
final class ManagementSlots {
    private ManagementSlots() {
    }

    static List<ManagementSlot> create(DmmRuntime runtime, RuntimeControl control, boolean jvmWide) {
        return List.of(MBeanSlot.forRuntime(runtime, control, jvmWide), new HttpEndpoint(control), new RemoteJmxSlot());
    }
}
