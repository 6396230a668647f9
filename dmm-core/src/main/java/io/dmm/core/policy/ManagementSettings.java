package io.dmm.core.policy;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * The policy's {@code management} section: how the running JVM can be watched and steered. The
 * defaults open nothing on the network: the policy file is watched, the MBeans are registered in
 * the platform MBean server (reachable only through the same-user Attach API or a JMX port the
 * user configured for the JVM), and there is no HTTP endpoint and no remote JMX connector.
 *
 * @param watch               reload the policy file when it changes
 * @param watchIntervalMillis how often the file is checked
 * @param stackModules        a directory of stack module jars (new stack types) or null
 * @param jmx                 register DMM's MBeans in the platform MBean server
 * @param http                the HTTP/JSON orchestration endpoint, or null (off)
 * @param jmxRemote           a remote JMX connector with authentication, or null (off)
 */
public record ManagementSettings(boolean watch, long watchIntervalMillis, Path stackModules, boolean jmx,
                                 Http http, JmxRemote jmxRemote) {
    /** What a policy without a {@code management} section gets. */
    public static final ManagementSettings DEFAULTS = new ManagementSettings(true, 1000, null, true, null, null);

    /**
     * The HTTP endpoint.
     *
     * @param address   where it listens (loopback unless the policy gives an address)
     * @param tokenFile the file holding the bearer token every request must carry
     */
    public record Http(InetSocketAddress address, Path tokenFile) {
    }

    /**
     * A remote JMX connector (RMI), always with password authentication.
     *
     * @param address      where its registry and connector listen (loopback unless given)
     * @param passwordFile JMX password file ({@code user password} lines)
     * @param accessFile   JMX access file ({@code user readonly|readwrite}), or null: every
     *                     authenticated user may read and write
     */
    public record JmxRemote(InetSocketAddress address, Path passwordFile, Path accessFile) {
    }
}
