package io.dmm.cli;

import io.dmm.management.jmx.DiscoveryProperties;
import io.dmm.management.jmx.DmmObjectNames;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javax.management.Attribute;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.JMRuntimeException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * A DMM JVM of this host, connected: attached to, checked to run DMM (its {@code io.dmm.runtime}
 * property), and its MBean server reached through the local JMX connector. Reads attributes and
 * invokes operations as a generic JMX client would — open types only, no DMM class needed in the
 * JVM's answers — and turns JMX failures into the message DMM wrote.
 */
final class DmmJvm implements AutoCloseable {
    private final long pid;
    private final JMXConnector connector;
    private final MBeanServerConnection mbeans;

    private DmmJvm(long pid, JMXConnector connector, MBeanServerConnection mbeans) {
        this.pid = pid;
        this.connector = connector;
        this.mbeans = mbeans;
    }

    static DmmJvm connect(String pidText) throws CliFailure {
        long pid = Attach.pid(pidText);
        Attach.Target probe = Attach.inspect(pid, p -> p.getProperty(DiscoveryProperties.RUNTIME) != null
                && "true".equals(p.getProperty(DiscoveryProperties.JMX)));
        String runtime = probe.properties().getProperty(DiscoveryProperties.RUNTIME);
        if (runtime == null) {
            throw CliFailure.unreachable("JVM " + pid + " (" + probe.main() + ") does not run DMM: it has no "
                    + DiscoveryProperties.RUNTIME + " property (DMM sets it once the JVM has opened its first DMM"
                    + " socket; see `dmm ps`)");
        }
        if (!"true".equals(probe.properties().getProperty(DiscoveryProperties.JMX))) {
            throw CliFailure.unreachable(notRegistered(pid));
        }
        String address = probe.jmxAddress();
        JMXConnector connector = null;
        try {
            connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
            MBeanServerConnection mbeans = connector.getMBeanServerConnection();
            if (!mbeans.isRegistered(DmmObjectNames.POLICY)) {
                throw CliFailure.unreachable(notRegistered(pid));
            }
            return new DmmJvm(pid, connector, mbeans);
        } catch (IOException e) {
            closeQuietly(connector);
            throw CliFailure.unreachable("cannot connect to the JMX agent of JVM " + pid + " at " + address + ": "
                    + e.getMessage());
        } catch (CliFailure e) {
            closeQuietly(connector);
            throw e;
        }
    }

    private static String notRegistered(long pid) {
        return "JVM " + pid + " runs DMM but its MBeans are not registered (its policy's management.jmx is false,"
                + " or another DMM runtime of that JVM holds " + DmmObjectNames.POLICY + ")";
    }

    long pid() {
        return pid;
    }

    /** The named attributes of {@code name}, in the order asked. */
    Map<String, Object> attributes(ObjectName name, String... attributes) throws CliFailure {
        try {
            Map<String, Object> values = new LinkedHashMap<>();
            for (Attribute a : mbeans.getAttributes(name, attributes).asList()) {
                values.put(a.getName(), a.getValue());
            }
            for (String a : attributes) {
                if (!values.containsKey(a)) {
                    // getAttributes leaves out what failed; getAttribute says why
                    values.put(a, mbeans.getAttribute(name, a));
                }
            }
            return values;
        } catch (IOException e) {
            throw lost(e);
        } catch (JMException | JMRuntimeException e) {
            throw CliFailure.failed(name + ": " + JmxMessages.of(e));
        }
    }

    Object attribute(ObjectName name, String attribute) throws CliFailure {
        return attributes(name, attribute).get(attribute);
    }

    /** Invokes an operation; the JVM's refusal becomes a {@link Exit#FAILED} failure with its message. */
    Object invoke(ObjectName name, String operation, Object[] params, String[] signature) throws CliFailure {
        try {
            return mbeans.invoke(name, operation, params, signature);
        } catch (IOException e) {
            throw lost(e);
        } catch (InstanceNotFoundException e) {
            throw CliFailure.failed("JVM " + pid + " has no MBean " + name);
        } catch (JMException | JMRuntimeException e) {
            throw CliFailure.failed(JmxMessages.of(e));
        }
    }

    Set<ObjectName> names(ObjectName pattern) throws CliFailure {
        try {
            return mbeans.queryNames(pattern, null);
        } catch (IOException e) {
            throw lost(e);
        }
    }

    boolean isRegistered(ObjectName name) throws CliFailure {
        try {
            return mbeans.isRegistered(name);
        } catch (IOException e) {
            throw lost(e);
        }
    }

    private CliFailure lost(IOException e) {
        return CliFailure.unreachable("lost the connection to JVM " + pid + ": " + e.getMessage());
    }

    @Override
    public void close() {
        closeQuietly(connector);
    }

    private static void closeQuietly(JMXConnector c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // the JVM may be gone; nothing to release on this side
            }
        }
    }
}
