package io.dmm.core.runtime;

import io.dmm.api.DmmControl;
import java.util.List;

/**
 * What adds management beyond the runtime API, the policy file watch and the health watch to every
 * runtime of the JVM — DMM's MBeans, HTTP endpoint and remote JMX connector, in module
 * {@code dmm-management}. The runtime owns this interface and finds implementations with
 * {@link java.util.ServiceLoader}, so dmm-core refers to no management class and runs without them.
 * The runtime starts, reconfigures (with each policy version's {@code management} settings) and
 * stops the slots a plugin gives it, as part of its own start, policy changes and close.
 */
public interface ManagementPlugin {
    /**
     * Why this plugin cannot run in this JVM (e.g. a JDK module it needs was left out with
     * {@code --limit-modules}), or null when it can. Asked once per JVM, before any {@link #slots}.
     */
    String unavailableReason();

    /**
     * The slots this plugin adds to {@code runtime}'s management plane, not yet started.
     *
     * @param control the runtime's API (the runtime's own {@code control()} is not ready yet)
     * @param jvmWide whether {@code runtime} is the JVM's runtime ({@link DmmRuntime#global()})
     */
    List<ManagementSlot> slots(DmmRuntime runtime, DmmControl control, boolean jvmWide);
}
