package io.dmm.api;

/**
 * Hints that apply to every socket opened on the current thread while the scope is open, including
 * sockets opened by third-party code. Scopes nest: an inner scope's fields override the outer's.
 * Close scopes in the reverse order of opening (try-with-resources does that).
 */
public final class RouteScope implements AutoCloseable {
    private static final ThreadLocal<RouteScope> CURRENT = new ThreadLocal<>();

    private final RouteScope outer;
    private final RouteHints effective;
    private final Thread owner;
    private boolean closed;

    private RouteScope(RouteScope outer, RouteHints hints) {
        this.outer = outer;
        this.effective = outer == null ? hints : outer.effective.overriddenBy(hints);
        this.owner = Thread.currentThread();
    }

    static RouteScope open(RouteHints hints) {
        RouteScope scope = new RouteScope(CURRENT.get(), java.util.Objects.requireNonNull(hints, "hints"));
        CURRENT.set(scope);
        return scope;
    }

    /** The hints of the innermost open scope on this thread, or {@link RouteHints#none()}. */
    static RouteHints current() {
        RouteScope scope = CURRENT.get();
        return scope == null ? RouteHints.none() : scope.effective;
    }

    /** The hints this scope gives sockets (merged with enclosing scopes). */
    public RouteHints hints() {
        return effective;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("a RouteScope must be closed by the thread that opened it ("
                    + owner.getName() + ")");
        }
        if (CURRENT.get() != this) {
            throw new IllegalStateException("RouteScope closed out of order: close inner scopes first");
        }
        closed = true;
        if (outer == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(outer);
        }
    }
}
