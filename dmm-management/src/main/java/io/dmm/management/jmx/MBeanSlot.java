package io.dmm.management.jmx;

import io.dmm.api.DmmControl;
import io.dmm.api.PolicyStatus;
import io.dmm.core.runtime.ManagementSlot;
import io.dmm.core.policy.ManagementSettings;
import io.dmm.core.runtime.DmmRuntime;
import io.dmm.core.runtime.ManagementThread;
import java.lang.management.ManagementFactory;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.management.MBeanServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management slot of DMM's MBeans: registers them while the policy's {@code management.jmx} is
 * true (the default), unregisters them when a change turns it off or the runtime closes, and keeps
 * the Rule and Stack MBeans in step with the runtime — after every applied change, and when a
 * retiring instance stops on its own once its last socket has closed.
 *
 * <p>For the JVM-wide runtime ({@link #forRuntime}) the MBeans go in the platform MBean server,
 * registered on the management thread: the runtime is built at the application's first DMM call,
 * which should not pay for starting the platform MBean server (or run it under whatever lock the
 * caller holds). That runtime also publishes the {@link DiscoveryProperties}. Should another DMM
 * runtime of the JVM hold {@code io.dmm:type=Policy} already, nothing is registered (logged once)
 * and registration is retried each second, so the names pass on when the other runtime closes.
 */
public final class MBeanSlot implements ManagementSlot {
    private static final Logger LOG = LoggerFactory.getLogger(MBeanSlot.class);
    /** How often registration is retried while another runtime holds the names. */
    static final long SYNC_INTERVAL_MILLIS = 1000;

    private final DmmRuntime runtime;
    private final DmmControl control;
    private final Supplier<MBeanServer> server;
    private final Executor executor;
    private final boolean publishProperties;
    private final Object lock = new Object();
    private DmmMBeans beans;            // guarded by lock, built on first enable
    private boolean wanted;             // guarded by lock: the settings in force say jmx
    private boolean conflictReported;   // guarded by lock
    private ScheduledFuture<?> retry;   // guarded by lock: set while another runtime holds the names
    private boolean closed;             // guarded by lock

    private MBeanSlot(DmmRuntime runtime, DmmControl control, Supplier<MBeanServer> server, Executor executor,
                      boolean publishProperties) {
        this.runtime = runtime;
        this.control = control;
        this.server = server;
        this.executor = executor;
        this.publishProperties = publishProperties;
        if (server != null) {
            runtime.onChange(this::changed);
            runtime.registry().onRetiredStopped(() -> executor.execute(this::resync));
        }
    }

    /**
     * The slot of a runtime: the platform MBean server's for the JVM-wide one, an inert slot for
     * others (tests and embedders build many runtimes; {@link #inServer} gives them MBeans).
     */
    public static ManagementSlot forRuntime(DmmRuntime runtime, DmmControl control, boolean jvmWide) {
        return jvmWide
                ? new MBeanSlot(runtime, control, ManagementFactory::getPlatformMBeanServer,
                        ManagementThread.scheduler(), true)
                : new MBeanSlot(runtime, control, null, Runnable::run, false);
    }

    /**
     * A slot registering {@code runtime}'s MBeans in {@code server}, on the thread that commits the
     * settings (so they are registered when {@link #prepare}'s action returns).
     *
     * @param publishProperties also publish the {@link DiscoveryProperties} of this JVM
     */
    public static MBeanSlot inServer(DmmRuntime runtime, DmmControl control, MBeanServer server,
                                     boolean publishProperties) {
        return new MBeanSlot(runtime, control, () -> server, Runnable::run, publishProperties);
    }

    @Override
    public Runnable prepare(ManagementSettings next) {
        if (server == null) {
            return () -> { };
        }
        boolean on = next.jmx();
        // runs after the swap, inside the runtime's change: it must not throw (the change is made)
        return () -> executor.execute(() -> setEnabled(on));
    }

    private void setEnabled(boolean on) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            try {
                wanted = on;
                if (on) {
                    registerOrReport();
                } else {
                    stopRetrying();
                    if (beans != null && beans.isRegistered()) {
                        beans.unregister();
                        LOG.info("DMM MBeans unregistered: the policy's management.jmx is false");
                    }
                }
                publish();
            } catch (RuntimeException | Error e) {
                LOG.warn("DMM MBeans: {} failed", on ? "registration" : "unregistration", e);
            }
        }
    }

    private void registerOrReport() {
        if (beans == null) {
            beans = new DmmMBeans(runtime, control, server.get());
        }
        boolean wasRegistered = beans.isRegistered();
        if (beans.register()) {
            stopRetrying();
            if (!wasRegistered) {
                LOG.debug("DMM MBeans registered under {}:*", DmmObjectNames.DOMAIN);
                conflictReported = false;
            }
            return;
        }
        if (retry == null) {
            retry = ManagementThread.scheduler().scheduleWithFixedDelay(this::resync, SYNC_INTERVAL_MILLIS,
                    SYNC_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        }
        if (!conflictReported) {
            conflictReported = true;
            LOG.warn("DMM MBeans not registered: {} is already registered (another DMM runtime in this JVM, loaded"
                    + " by another class loader?); this runtime stays reachable through DmmSockets.control(), and"
                    + " its MBeans are registered once the name is free", DmmObjectNames.POLICY);
        }
    }

    /** After an applied change: Rule and Stack MBeans of the new version, on the changing thread. */
    private void changed(PolicyStatus status) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            if (wanted && beans != null) {
                registerOrReport();
            }
            publish();
        }
    }

    /** A retiring instance stopped, or a retry while the names are taken: register and sync again. */
    private void resync() {
        synchronized (lock) {
            if (closed || !wanted) {
                return;
            }
            try {
                registerOrReport();
                publish();
            } catch (RuntimeException e) {
                LOG.warn("DMM MBeans: update failed", e);
            }
        }
    }

    private void stopRetrying() {
        if (retry != null) {
            retry.cancel(false);
            retry = null;
        }
    }

    private void publish() {
        if (!publishProperties) {
            return;
        }
        PolicyStatus s = runtime.status();
        System.setProperty(DiscoveryProperties.RUNTIME, s.origin());
        System.setProperty(DiscoveryProperties.POLICY_VERSION, Long.toString(s.version()));
        System.setProperty(DiscoveryProperties.JMX, Boolean.toString(beans != null && beans.isRegistered()));
    }

    /** Whether this slot's MBeans are registered now. */
    public boolean registered() {
        synchronized (lock) {
            return beans != null && beans.isRegistered();
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            stopRetrying();
            if (beans != null) {
                beans.unregister();
            }
            if (publishProperties) {
                System.clearProperty(DiscoveryProperties.RUNTIME);
                System.clearProperty(DiscoveryProperties.POLICY_VERSION);
                System.clearProperty(DiscoveryProperties.JMX);
            }
        }
    }
}
