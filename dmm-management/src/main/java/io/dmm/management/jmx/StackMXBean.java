package io.dmm.management.jmx;

import java.util.Map;

/**
 * {@code io.dmm:type=Stack,name=NAME}: one stack instance, its state and DMM's counters for it.
 * Counters count since the instance started; they survive policy changes that keep the instance.
 */
public interface StackMXBean {
    String getName();

    /** The stack type ({@code kernel}, {@code userspace}...). */
    String getType();

    /** Where the instance is declared ({@code file:line}), "" when unknown. */
    String getSource();

    /** {@code UP}, {@code DEGRADED} or {@code DOWN}. */
    String getHealth();

    /** Why it is not UP (what is missing, how to fix it), "" when UP. */
    String getHealthDetail();

    /** {@code active}, {@code draining} (no new sockets until undrained) or {@code retiring} (removed from the policy). */
    String getAdmin();

    /** Routing decisions that chose this instance first. */
    long getDecisions();

    long getSocketsOpened();

    long getSocketsActive();

    long getConnectsOk();

    long getConnectsFailed();

    /** Bytes the application read or received through this instance. */
    long getBytesIn();

    /** Bytes the application wrote or sent through this instance. */
    long getBytesOut();

    /** Counters the stack itself reports, by its own names (a TabularData of key/value rows). */
    Map<String, Long> getStackCounters();

    /** Stops routing new sockets here (rules with a fallback move on); open sockets keep working. */
    void drain();

    /** Routes new sockets here again. */
    void undrain();
}
