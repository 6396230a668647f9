package com.example.app;

import io.dmm.api.RouteHints;
import io.dmm.core.runtime.DmmRuntime;
import java.io.IOException;
import java.nio.channels.SocketChannel;

/** Application code outside io.dmm.*: the caller the policy sees when it matches on caller. */
public final class Opener {
    private Opener() {
    }

    public static SocketChannel open(DmmRuntime runtime) throws IOException {
        return runtime.openSocketChannel(null, RouteHints.none());
    }
}
