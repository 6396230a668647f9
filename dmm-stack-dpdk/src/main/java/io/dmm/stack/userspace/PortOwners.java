package io.dmm.stack.userspace;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Which shard owns each local port a client socket of the instance took from the ephemeral range:
 * the flows from such a port are that shard's whatever their peer (see {@link FlowSteering}). So a
 * client that binds to port 0 before it connects — as DMM's routed channels do, to the instance's
 * source address — gets a port of its own shard at once, and never moves. Written under the port
 * table's monitor, read per received segment by any shard's thread: release and acquire.
 */
public final class PortOwners {
    private static final VarHandle OWNER = MethodHandles.arrayElementVarHandle(byte[].class);
    /** Shard + 1 by port; 0 when the port is no client's ephemeral port. */
    private final byte[] owners = new byte[65536];

    public void set(int port, int shard) {
        OWNER.setRelease(owners, port, (byte) (shard + 1));
    }

    public void clear(int port) {
        OWNER.setRelease(owners, port, (byte) 0);
    }

    /** The shard that owns {@code port}, or -1. */
    public int get(int port) {
        return ((byte) OWNER.getAcquire(owners, port) & 0xFF) - 1;
    }
}
