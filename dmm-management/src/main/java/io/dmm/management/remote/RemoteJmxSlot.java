package io.dmm.management.remote;

import io.dmm.core.runtime.ManagementSlot;
import io.dmm.core.policy.ManagementSettings;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Supplier;
import javax.management.MBeanServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The remote JMX connector as a management slot: off unless the policy has
 * {@code management.jmxRemote}; then an RMI registry and a JMX connector server for the platform
 * MBean server listen on its port and address (loopback unless given), and every client must log
 * in with a user and password of the password file.
 *
 * <p>Policy changes: a new address is bound in {@link #prepare} (a bind failure rejects the change)
 * and takes over at commit, when the old one closes. The same address with other files (or an
 * access file whose content changed) gets a new connector on the same port, published at commit;
 * connected clients are then disconnected. The same settings change nothing: connected clients
 * stay. The password file is read at every login, so changing a password needs no reload.
 */
public final class RemoteJmxSlot implements ManagementSlot {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteJmxSlot.class);
    private static final Set<PosixFilePermission> NOT_OWNER = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

    /** Asked only when a connector opens: a JVM without jmxRemote does not pay for the platform MBean server. */
    private final Supplier<MBeanServer> mbs = ManagementFactory::getPlatformMBeanServer;
    private final Object lock = new Object();
    private RemoteJmxServer server;        // published; guarded by lock
    private AutoCloseable pending;         // prepared by a change not committed yet
    private boolean closed;

    public RemoteJmxSlot() {
    }

    @Override
    public Runnable prepare(ManagementSettings next) {
        ManagementSettings.JmxRemote cfg = next.jmxRemote();
        synchronized (lock) {
            if (closed) {
                return () -> { };
            }
            releasePending();
            if (cfg == null) {
                return this::stop;
            }
            checkPasswordFile(cfg.passwordFile());
            if (server != null && server.serves(cfg.address())) {
                JmxConnector current = server.connector();
                if (current.settings().equals(cfg) && !current.accessFileChanged()) {
                    return () -> { };
                }
                JmxConnector fresh = server.prepareConnector(cfg);
                PreparedConnector p = new PreparedConnector(server, fresh);
                pending = p;
                return p;
            }
            PreparedServer p = new PreparedServer(RemoteJmxServer.open(cfg, mbs.get()));
            pending = p;
            return p;
        }
    }

    /**
     * The JDK's own {@code jmxremote} agent refuses a password file that others can read; so does
     * DMM, for the same reason: whoever reads it can log in.
     */
    private static void checkPasswordFile(Path file) {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            if (p.stream().anyMatch(NOT_OWNER::contains)) {
                throw new IllegalStateException("the remote JMX password file " + file.toAbsolutePath()
                        + " must be readable and writable by its owner only (chmod 600 it)");
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: no permissions to check
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the remote JMX password file " + file.toAbsolutePath()
                    + ": " + e, e);
        }
    }

    /** A change moving (or opening) the connector: commit publishes the new server and closes the old. */
    private final class PreparedServer implements Runnable, AutoCloseable {
        private final RemoteJmxServer fresh;

        PreparedServer(RemoteJmxServer fresh) {
            this.fresh = fresh;
        }

        @Override
        public void run() {
            RemoteJmxServer old;
            synchronized (lock) {
                if (pending != this || closed) {
                    fresh.close();
                    return;
                }
                pending = null;
                try {
                    fresh.publish();
                } catch (IOException e) {
                    // a local call into our own registry: cannot fail short of a JDK bug
                    fresh.close();
                    LOG.error("DMM remote JMX connector could not be published", e);
                    return;
                }
                old = server;
                server = fresh;
            }
            ManagementSettings.JmxRemote s = fresh.connector().settings();
            LOG.info("DMM remote JMX connector listening on {}: {} (password file {}, {}){}",
                    RemoteJmxServer.render(fresh.bound()), fresh.serviceUrl(), s.passwordFile(),
                    s.accessFile() == null ? "no access file: every user may read and write"
                            : "access file " + s.accessFile(),
                    old == null ? "" : "; stopped listening on " + RemoteJmxServer.render(old.bound()));
            if (old != null) {
                old.close();
            }
        }

        @Override
        public void close() {
            synchronized (lock) {
                if (pending == this) {
                    pending = null;
                }
            }
            fresh.close();
        }
    }

    /** A change of files on the same address: commit publishes the new connector in place of the old. */
    private final class PreparedConnector implements Runnable, AutoCloseable {
        private final RemoteJmxServer target;
        private final JmxConnector fresh;

        PreparedConnector(RemoteJmxServer target, JmxConnector fresh) {
            this.target = target;
            this.fresh = fresh;
        }

        @Override
        public void run() {
            synchronized (lock) {
                if (pending != this || closed || server != target) {
                    fresh.stop();
                    return;
                }
                pending = null;
                try {
                    target.replace(fresh);
                } catch (IOException e) {
                    fresh.stop();
                    LOG.error("DMM remote JMX connector could not be replaced", e);
                    return;
                }
            }
            LOG.info("DMM remote JMX connector on {} restarted with password file {}, {}; connected clients were"
                    + " disconnected", RemoteJmxServer.render(target.bound()), fresh.settings().passwordFile(),
                    fresh.settings().accessFile() == null ? "no access file" : "access file "
                            + fresh.settings().accessFile());
        }

        @Override
        public void close() {
            synchronized (lock) {
                if (pending == this) {
                    pending = null;
                }
            }
            fresh.stop();
        }
    }

    private void releasePending() {
        AutoCloseable p = pending;
        pending = null;
        if (p != null) {
            try {
                p.close();
            } catch (Exception e) {
                LOG.debug("releasing a prepared remote JMX connector failed", e);
            }
        }
    }

    private void stop() {
        RemoteJmxServer old;
        synchronized (lock) {
            old = server;
            server = null;
        }
        if (old != null) {
            old.close();
            LOG.info("DMM remote JMX connector on {} closed: the policy has no management.jmxRemote any more",
                    RemoteJmxServer.render(old.bound()));
        }
    }

    /** Where the registry and connector listen (the real port when the policy said 0), or null when off. */
    public InetSocketAddress boundAddress() {
        synchronized (lock) {
            return server == null ? null : server.bound();
        }
    }

    /** The JMX service URL clients connect to, or null when off. */
    public String serviceUrl() {
        synchronized (lock) {
            return server == null ? null : server.serviceUrl();
        }
    }

    @Override
    public void close() {
        RemoteJmxServer old;
        synchronized (lock) {
            closed = true;
            releasePending();
            old = server;
            server = null;
        }
        if (old != null) {
            old.close();
        }
    }
}
