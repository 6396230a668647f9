package io.dmm.core.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ManagementPlugin}s of this JVM, found once with ServiceLoader in DMM's own class
 * loader. A plugin that cannot run here is left out with one line saying why; when none is left,
 * {@link #missing()} says what the policy's management settings then lack.
 */
final class ManagementPlugins {
    private static final Logger LOG = LoggerFactory.getLogger(ManagementPlugins.class);

    private static final class Found {
        static final List<ManagementPlugin> USABLE = new ArrayList<>();
        static final List<String> REASONS = new ArrayList<>();

        static {
            for (ManagementPlugin p : ServiceLoader.load(ManagementPlugin.class, ManagementPlugin.class.getClassLoader())) {
                String reason = p.unavailableReason();
                if (reason == null) {
                    USABLE.add(p);
                } else {
                    REASONS.add(reason);
                    LOG.warn("DMM management (MBeans, HTTP endpoint, remote JMX) is off: {}", reason);
                }
            }
        }
    }

    private ManagementPlugins() {
    }

    /** The plugins that run in this JVM. */
    static List<ManagementPlugin> usable() {
        return List.copyOf(Found.USABLE);
    }

    /** Why no plugin runs: left out (their reasons), or none on the class path. */
    static String missing() {
        return Found.REASONS.isEmpty() ? "dmm-management is not on the class path" : String.join("; ", Found.REASONS);
    }
}
