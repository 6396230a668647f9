package io.dmm.core.runtime;

import io.dmm.core.policy.ManagementSettings;

/**
 * One part of the management plane configured by the policy's {@code management} section (the
 * policy file watch, the MBeans, the HTTP endpoint, the remote JMX connector). A policy change
 * first asks every slot to {@link #prepare} for the new settings — a slot that cannot (a port
 * already in use, an unreadable token file) throws, and the whole change is rejected with nothing
 * changed — and then, once the new version is in force, runs what each returned.
 */
public interface ManagementSlot extends AutoCloseable {
    /**
     * Gets ready to run with {@code next} (e.g. binds a new listener) without giving up what runs now.
     *
     * @return what to do once the new version is in force (e.g. close the old listener); never null.
     *         If it is also {@link AutoCloseable}, it is closed instead of run when the change is
     *         abandoned (another slot could not prepare): it gives back what this prepare acquired
     * @throws RuntimeException when {@code next} cannot be honoured; anything prepared is undone
     */
    Runnable prepare(ManagementSettings next);

    /** Stops whatever the slot runs. Idempotent. */
    @Override
    void close();
}
