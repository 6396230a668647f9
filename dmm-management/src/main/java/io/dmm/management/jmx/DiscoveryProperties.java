package io.dmm.management.jmx;

/**
 * System properties the JVM-wide runtime publishes so that {@code dmm ps} can recognise a DMM JVM
 * by reading its system properties through the Attach API, without starting a JMX agent in every
 * JVM of the host. They are set once the MBeans are registered (or known not to be), kept up to
 * date on every policy change, and cleared when the runtime closes.
 */
public final class DiscoveryProperties {
    /** Where the running policy came from (its {@code origin}: a file path, {@code <built-in default>}...). */
    public static final String RUNTIME = "io.dmm.runtime";
    /** The running policy version. */
    public static final String POLICY_VERSION = "io.dmm.policyVersion";
    /** {@code true} when DMM's MBeans are registered in the platform MBean server, else {@code false}. */
    public static final String JMX = "io.dmm.jmx";

    private DiscoveryProperties() {
    }
}
