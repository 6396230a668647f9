package io.dmm.core.channel;

import io.dmm.api.Protocol;
import io.dmm.api.Role;
import io.dmm.core.routing.Decision;
import io.dmm.core.routing.StackHandle;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.util.List;

/**
 * One routing decision for one socket and the stacks of its route that can take that socket now,
 * in fallback order; when none can, {@link #requireAny()} throws the one error every routed channel
 * gives for it, naming why each stack cannot.
 */
record Candidates(Decision decision, List<StackHandle> stacks, Protocol protocol, Role role,
                  InetSocketAddress key, String whyOthersNot) {

    /**
     * This, when at least one stack is usable; else the "no usable stack" error: a SocketException
     * for a TCP server (nothing is unreachable when listening), a NoRouteToHostException otherwise.
     */
    Candidates requireAny() throws IOException {
        if (!stacks.isEmpty()) {
            return this;
        }
        String text = "DMM: no usable stack for " + protocol.configName() + " " + role.configName()
                + (key == null ? "" : (role.isActive() ? " to " : " on ") + key)
                + " (route " + decision.route().source() + "): " + whyOthersNot;
        throw role == Role.SERVER ? new SocketException(text) : new NoRouteToHostException(text);
    }
}
