package io.dmm.management.remote;

import java.net.InetAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host name RMI writes into the stubs it hands to clients: the {@code java.rmi.server.hostname}
 * system property, else the address of the machine's host name. When the connector listens on one
 * address only (loopback by default) the latter is often wrong — e.g. {@code 127.0.1.1} or the LAN
 * address while the connector listens on {@code 127.0.0.1} — and clients that found the registry
 * would then fail to reach the connector. RMI has no per-object host, so, like the JDK's own
 * {@code -Dcom.sun.management.jmxremote.host} users must, DMM sets the property to the address
 * it listens on: only when nobody else set it (or DMM itself did, for an earlier address).
 */
final class RmiStubHost {
    static final String PROPERTY = "java.rmi.server.hostname";
    private static final Logger LOG = LoggerFactory.getLogger(RmiStubHost.class);
    private static String setByDmm;   // guarded by RmiStubHost.class

    private RmiStubHost() {
    }

    /** Makes stubs exported from now on name {@code listening}; a wildcard address needs nothing. */
    static synchronized void pointAt(InetAddress listening) {
        if (listening.isAnyLocalAddress()) {
            return;
        }
        String wanted = listening.getHostAddress();
        String current = System.getProperty(PROPERTY);
        if (current == null || current.equals(setByDmm)) {
            if (!wanted.equals(current)) {
                System.setProperty(PROPERTY, wanted);
                setByDmm = wanted;
                LOG.info("set {}={} so that remote JMX clients are sent to the address the connector listens on",
                        PROPERTY, wanted);
            }
        } else if (!current.equals(wanted)) {
            LOG.warn("{} is {} but DMM's JMX connector listens on {} only: clients will be sent to {} (set {} to"
                    + " an address the connector listens on, or give jmxRemote that address)", PROPERTY, current,
                    wanted, current, PROPERTY);
        }
    }
}
