package io.dmm.management.jmx;

import io.dmm.api.DmmControl;
import io.dmm.core.runtime.DmmRuntime;
import io.dmm.core.runtime.Router;
import io.dmm.core.routing.StackHandle;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanRegistrationException;
import javax.management.MBeanServer;
import javax.management.NotCompliantMBeanException;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MBeans of one runtime in one MBean server: the Policy and Sockets MBeans, registered once,
 * and the Rule and Stack MBeans, which {@link #sync} makes match the running policy version and
 * the registry's instances (current and retiring).
 *
 * <p>The runtime that registers {@code io.dmm:type=Policy} first owns the {@code io.dmm} names of
 * the server. A second runtime (DMM loaded twice, by two class loaders) finds the name taken:
 * {@link #register} then registers nothing and returns false, rather than fail the application or
 * mix the two runtimes' MBeans under one set of names.
 */
public final class DmmMBeans {
    private static final Logger LOG = LoggerFactory.getLogger(DmmMBeans.class);

    private final DmmRuntime runtime;
    private final DmmControl control;
    private final MBeanServer server;
    private boolean registered;
    private boolean socketsRegistered;
    private Router rulesOf;
    private final List<ObjectName> ruleNames = new ArrayList<>();
    /** The registered Stack MBeans by instance (identity: two instances may share a name). */
    private final Map<StackHandle, ObjectName> stackNames = new IdentityHashMap<>();
    private long retiringNames;

    public DmmMBeans(DmmRuntime runtime, DmmControl control, MBeanServer server) {
        this.runtime = runtime;
        this.control = control;
        this.server = server;
    }

    /**
     * Registers every MBean (again a no-op but a {@link #sync} when they are).
     *
     * @return false when {@code io.dmm:type=Policy} belongs to someone else: nothing registered
     */
    public synchronized boolean register() {
        if (registered) {
            sync();
            return true;
        }
        Object policy = new NamedParameters(new PolicyBean(control), PolicyMXBean.class, NamedParameters.POLICY);
        if (!add(policy, DmmObjectNames.POLICY)) {
            return false;
        }
        registered = true;
        socketsRegistered = add(new SocketsBean(control), DmmObjectNames.SOCKETS);
        sync();
        return true;
    }

    public synchronized boolean isRegistered() {
        return registered;
    }

    /**
     * Re-registers the Rule MBeans when the policy version changed, and registers and unregisters
     * Stack MBeans as instances start, retire and stop.
     */
    public synchronized void sync() {
        if (!registered) {
            return;
        }
        syncRules();
        syncStacks();
    }

    private void syncRules() {
        Router router = runtime.router();
        if (router == rulesOf) {
            return;
        }
        ruleNames.forEach(this::remove);
        ruleNames.clear();
        int count = router.ruleStats().size(); // the rules, then the default route
        for (int i = 0; i < count; i++) {
            ObjectName name = DmmObjectNames.rule(i == count - 1 ? -1 : i);
            if (add(new RuleBean(router, i), name)) {
                ruleNames.add(name);
            }
        }
        rulesOf = router;
    }

    private void syncStacks() {
        Map<StackHandle, ObjectName> wanted = new IdentityHashMap<>();
        Set<ObjectName> taken = new HashSet<>();
        for (StackHandle h : runtime.registry().all()) {
            ObjectName n = DmmObjectNames.stack(h.name());
            wanted.put(h, n);
            taken.add(n);
        }
        for (StackHandle h : runtime.registry().retiring()) {
            if (wanted.containsKey(h)) {
                continue;
            }
            // a retiring instance keeps its name unless a current instance of the same name took it
            ObjectName n = stackNames.get(h);
            if (n == null || taken.contains(n)) {
                n = DmmObjectNames.stack(h.name());
                while (taken.contains(n)) {
                    n = DmmObjectNames.retiringStack(h.name(), ++retiringNames);
                }
            }
            wanted.put(h, n);
            taken.add(n);
        }
        for (Map.Entry<StackHandle, ObjectName> e : new LinkedHashMap<>(stackNames).entrySet()) {
            if (!e.getValue().equals(wanted.get(e.getKey()))) {
                remove(e.getValue());
                stackNames.remove(e.getKey());
            }
        }
        for (Map.Entry<StackHandle, ObjectName> e : wanted.entrySet()) {
            if (!stackNames.containsKey(e.getKey())
                    && add(new StackBean(e.getKey(), runtime.registry(), control), e.getValue())) {
                stackNames.put(e.getKey(), e.getValue());
            }
        }
    }

    /** Unregisters every MBean this runtime registered. Idempotent. */
    public synchronized void unregister() {
        if (!registered) {
            return;
        }
        ruleNames.forEach(this::remove);
        ruleNames.clear();
        stackNames.values().forEach(this::remove);
        stackNames.clear();
        if (socketsRegistered) {
            remove(DmmObjectNames.SOCKETS);
            socketsRegistered = false;
        }
        remove(DmmObjectNames.POLICY);
        rulesOf = null;
        registered = false;
    }

    private boolean add(Object bean, ObjectName name) {
        try {
            server.registerMBean(bean, name);
            return true;
        } catch (InstanceAlreadyExistsException e) {
            if (!name.equals(DmmObjectNames.POLICY)) {
                LOG.warn("MBean {} not registered: the name is taken", name);
            }
            return false;
        } catch (MBeanRegistrationException | NotCompliantMBeanException e) {
            LOG.warn("MBean {} not registered", name, e);
            return false;
        }
    }

    private void remove(ObjectName name) {
        try {
            server.unregisterMBean(name);
        } catch (InstanceNotFoundException e) {
            // unregistered by someone else: nothing left to do
        } catch (MBeanRegistrationException e) {
            LOG.warn("MBean {} not unregistered", name, e);
        }
    }
}
