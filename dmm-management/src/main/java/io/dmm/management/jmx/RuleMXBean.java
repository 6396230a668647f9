package io.dmm.management.jmx;

import java.util.List;

/**
 * {@code io.dmm:type=Rule,index=N} ({@code index=default} for the default route): one rule of the
 * running policy version. Re-registered whenever the policy changes.
 */
public interface RuleMXBean {
    /** The rule's index in the policy, or {@code default}. */
    String getIndex();

    /** Where it is written ({@code file:line}). */
    String getSource();

    /** The rule as written, in one line ({@code tcp client dst 10.0.0.0/8 -> us1}). */
    String getRule();

    /** Its target stack instances, in fallback order. */
    List<String> getStacks();

    /** Decisions it made (carried over policy changes that keep the rule as written). */
    long getHits();

    /** The policy version it belongs to. */
    long getPolicyVersion();
}
