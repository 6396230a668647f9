package io.dmm.core.channel;

import io.dmm.core.routing.StackHandle;
import java.io.IOException;
import java.nio.channels.Channel;
import java.util.ArrayList;
import java.util.List;

/**
 * A routed channel's channel on one stack, with the handle of that stack: what a routed channel
 * delegates to once routed (a server has one per listening stack). Opening one counts a socket on
 * the stack; {@link #release()} closes the channel and takes it off the
 * stack's count, the count exactly once however often and from whichever thread it is called.
 */
class Leg<C extends Channel> {
    final C ch;
    final StackHandle stack;
    private boolean released; // guarded by this

    /** {@code ch}, a channel of {@code stack}: counted there from now until {@link #release()}. */
    Leg(C ch, StackHandle stack) {
        this.ch = ch;
        this.stack = stack;
        stack.socketOpened();
    }

    /** Closes the channel (quietly: it failed, or is being closed anyway) and uncounts it, once. */
    final void release() {
        synchronized (this) {
            if (!released) {
                released = true;
                stack.socketClosed();
            }
        }
        try {
            ch.close();
        } catch (IOException ignored) {
            // a channel that failed, or one being closed with its routed channel: nothing to report
        }
    }

    /** The stacks of {@code legs}, in their order (a server's, for its row and its stacks in use). */
    static List<String> stackNames(List<? extends Leg<?>> legs) {
        List<String> names = new ArrayList<>(legs.size());
        for (Leg<?> l : legs) {
            names.add(l.stack.name());
        }
        return names;
    }
}
