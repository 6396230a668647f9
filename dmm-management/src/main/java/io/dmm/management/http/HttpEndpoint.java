package io.dmm.management.http;

import io.dmm.api.DmmControl;
import io.dmm.core.runtime.ManagementSlot;
import io.dmm.core.policy.ManagementSettings;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP/JSON orchestration endpoint as a management slot: off unless the policy has
 * {@code management.http}; then it listens where that says (loopback unless an address is given)
 * and answers requests carrying the bearer token of its {@code tokenFile}.
 *
 * <p>A policy change that moves the endpoint binds the new address in {@link #prepare} — a bind
 * failure or a bad token file rejects the whole change — and switches over at commit: the new
 * listener starts serving with the new token and the old one stops accepting. A change that keeps
 * the address keeps the listener and only takes the token again (so rewriting the token file and
 * reloading the policy rotates it).
 */
public final class HttpEndpoint implements ManagementSlot {
    private static final Logger LOG = LoggerFactory.getLogger(HttpEndpoint.class);

    private final OrchestrationApi api;
    private final Object lock = new Object();
    private HttpListener listener;     // serving; guarded by lock
    private HttpListener pending;      // bound by a prepare whose change has not been committed yet
    private volatile BearerToken token;
    private boolean closed;            // guarded by lock

    public HttpEndpoint(DmmControl control) {
        this.api = new OrchestrationApi(control, () -> token);
    }

    @Override
    public Runnable prepare(ManagementSettings next) {
        ManagementSettings.Http http = next.http();
        synchronized (lock) {
            if (closed) {
                return () -> { };
            }
            // a change abandoned without closing what it prepared would otherwise keep its port bound
            releasePending();
            if (http == null) {
                return this::stop;
            }
            BearerToken t = BearerToken.read(http.tokenFile());
            if (listener != null && (listener.configured().equals(http.address())
                    || listener.bound().equals(http.address()))) {
                return () -> keep(t);
            }
            HttpListener fresh = HttpListener.bind(http.address(), api);
            pending = fresh;
            return new Switch(fresh, t);
        }
    }

    /** The commit of a change that moves (or opens) the endpoint; closing it gives the new port back. */
    private final class Switch implements Runnable, AutoCloseable {
        private final HttpListener fresh;
        private final BearerToken newToken;

        Switch(HttpListener fresh, BearerToken newToken) {
            this.fresh = fresh;
            this.newToken = newToken;
        }

        @Override
        public void run() {
            HttpListener old;
            synchronized (lock) {
                if (pending != fresh || closed) {
                    fresh.close();
                    return;
                }
                pending = null;
                old = listener;
                token = newToken;
                listener = fresh;
                fresh.start();
            }
            LOG.info("DMM HTTP endpoint listening on {} (bearer token from {}){}", HttpListener.render(fresh.bound()),
                    newToken.file(), old == null ? "" : "; stopped listening on " + HttpListener.render(old.bound()));
            if (old != null) {
                old.close();
            }
        }

        @Override
        public void close() {
            synchronized (lock) {
                if (pending == fresh) {
                    pending = null;
                }
            }
            fresh.close();
        }
    }

    private void keep(BearerToken t) {
        synchronized (lock) {
            if (listener != null) {
                token = t;
            }
        }
    }

    private void stop() {
        HttpListener old;
        synchronized (lock) {
            old = listener;
            listener = null;
            token = null;
        }
        if (old != null) {
            old.close();
            LOG.info("DMM HTTP endpoint on {} closed: the policy has no management.http any more",
                    HttpListener.render(old.bound()));
        }
    }

    private void releasePending() {
        if (pending != null) {
            pending.close();
            pending = null;
        }
    }

    /** Where the endpoint listens now (the real port when the policy said 0), or null when it is off. */
    public InetSocketAddress boundAddress() {
        synchronized (lock) {
            return listener == null ? null : listener.bound();
        }
    }

    @Override
    public void close() {
        HttpListener old;
        synchronized (lock) {
            closed = true;
            releasePending();
            old = listener;
            listener = null;
            token = null;
        }
        if (old != null) {
            old.close();
        }
    }
}
