package io.dmm.core.runtime;

import io.dmm.core.policy.ManagementSettings;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The slot of a runtime without management plugin: the policy may still ask for the HTTP endpoint
 * or remote JMX, which only dmm-management serves. Routing does not depend on them, so the policy
 * is applied and one warning says what is not served and why — again only when a version asks for
 * something else than the one before.
 */
final class UnservedManagementNote implements ManagementSlot {
    private static final Logger LOG = LoggerFactory.getLogger(UnservedManagementNote.class);

    private final String why;
    private String lastReported = "";

    UnservedManagementNote(String why) {
        this.why = why;
    }

    @Override
    public Runnable prepare(ManagementSettings next) {
        String unserved = unserved(next);
        return () -> report(unserved);
    }

    /** What {@code settings} ask for that no slot serves, e.g. "the HTTP endpoint on /127.0.0.1:9464", or "". */
    static String unserved(ManagementSettings settings) {
        List<String> parts = new ArrayList<>();
        if (settings.http() != null) {
            parts.add("the HTTP endpoint on " + settings.http().address());
        }
        if (settings.jmxRemote() != null) {
            parts.add("remote JMX on " + settings.jmxRemote().address());
        }
        return String.join(" and ", parts);
    }

    private synchronized void report(String unserved) {
        if (!unserved.isEmpty() && !unserved.equals(lastReported)) {
            LOG.warn("the policy's management section asks for {}, which is not served: {}", unserved, why);
        }
        lastReported = unserved;
    }

    @Override
    public void close() {
    }
}
