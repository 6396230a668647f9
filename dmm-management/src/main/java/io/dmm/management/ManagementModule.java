package io.dmm.management;

import io.dmm.api.DmmControl;
import io.dmm.core.runtime.DmmRuntime;
import io.dmm.core.runtime.ManagementPlugin;
import io.dmm.core.runtime.ManagementSlot;
import io.dmm.management.http.HttpEndpoint;
import io.dmm.management.jmx.MBeanSlot;
import io.dmm.management.remote.RemoteJmxSlot;
import java.util.List;

/**
 * The management plane DMM's runtime finds with ServiceLoader: the MBeans, the HTTP endpoint
 * (its metrics for Prometheus and its orchestration API) and the remote JMX connector.
 *
 * <p>They need JDK modules a JVM started with {@code --limit-modules} may lack: then this plugin
 * says so ({@link #unavailableReason}) before any of its classes that use them is loaded, and the
 * runtime routes without it. The HTTP endpoint is DMM's own (on the JDK's channels), so it needs no
 * {@code jdk.httpserver}.
 */
public final class ManagementModule implements ManagementPlugin {
    /** The JDK modules the MBeans and the remote JMX connector use. */
    static final List<String> REQUIRED_MODULES = List.of("java.management", "java.rmi", "java.management.rmi");

    @Override
    public String unavailableReason() {
        List<String> missing = missingModules(ModuleLayer.boot());
        return missing.isEmpty() ? null
                : "this JVM lacks the module(s) " + String.join(", ", missing) + " (left out by --limit-modules?)";
    }

    static List<String> missingModules(ModuleLayer layer) {
        return REQUIRED_MODULES.stream().filter(m -> layer.findModule(m).isEmpty()).toList();
    }

    @Override
    public List<ManagementSlot> slots(DmmRuntime runtime, DmmControl control, boolean jvmWide) {
        return List.of(MBeanSlot.forRuntime(runtime, control, jvmWide), new HttpEndpoint(control), new RemoteJmxSlot());
    }
}
