package io.dmm.api.spi;

/** Told by a {@link ReadinessSource} that its readiness may have changed. */
@FunctionalInterface
public interface ReadinessListener {
    /** {@code source}'s readiness may have changed; quick and non-blocking, callable from any thread. */
    void readinessChanged(ReadinessSource source);
}
