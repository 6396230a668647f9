package io.dmm.stack.userspace.phy;

/**
 * What a device tells the stack instance that drives it about its health, beside frames: that it
 * went away for good, or that its link went down or came back. Calls come from whichever thread
 * noticed (the instance's poll loop probing the device, or a test's thread injecting a fault) and
 * must be quick and never block: the instance only records what it heard and wakes its poll loop.
 */
public interface DeviceListener {
    /**
     * The device can no longer carry frames and will not recover (its interface was deleted, its
     * NIC removed). {@code reason} names the device and the cause in one line, e.g.
     * {@code "DPDK port 1 (net_tap0,iface=dmmtap3) went away: ..."}.
     */
    void deviceFailed(String reason);

    /**
     * The device's link (carrier) went down ({@code up} false, {@code detail} says which and why),
     * or came back. A link that is down carries nothing, but the device may recover on its own.
     */
    void linkChanged(boolean up, String detail);
}
