package io.dmm.core.channel;

import io.dmm.jdk.platform.PlatformChannels;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;

/**
 * Runs a program's completion handler the way the JDK would for an outcome known before any I/O
 * (a connect on a closed channel, no usable stack, a queued accepted connection): the JDK invokes
 * such a handler directly only on a thread of the channel's group, and otherwise hands it to the
 * group's pool. That pool is not reachable from outside java.base, so this asks the platform to do
 * it: a read on a closed platform channel of the same group reports ClosedChannelException through
 * the JDK's own invoker, and its handler passes the real outcome on. Costs a socket open/close, on
 * paths that are rare.
 */
final class GroupDispatch {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private GroupDispatch() {
    }

    /** Fails {@code handler} with {@code exc} on the group's terms. */
    static <V, A> void failed(StackGroup group, CompletionHandler<V, ? super A> handler,
                              A attachment, Throwable exc) {
        dispatch(group, () -> handler.failed(exc, attachment));
    }

    /** Completes {@code handler} with {@code value} on the group's terms. */
    static <V, A> void completed(StackGroup group, CompletionHandler<V, ? super A> handler,
                                 A attachment, V value) {
        dispatch(group, () -> handler.completed(value, attachment));
    }

    private static void dispatch(StackGroup group, Runnable outcome) {
        AsynchronousSocketChannel carrier;
        try {
            carrier = PlatformChannels.openAsynchronousSocketChannel(group.platform());
            carrier.close();
        } catch (IOException | RuntimeException e) {
            // group shut down, or out of file descriptors: the caller's thread is all there is
            outcome.run();
            return;
        }
        carrier.read(EMPTY.duplicate(), null, new CompletionHandler<Integer, Void>() {
            @Override
            public void completed(Integer result, Void a) {
                outcome.run(); // not expected (the carrier is closed); the outcome is what matters
            }

            @Override
            public void failed(Throwable closed, Void a) {
                outcome.run();
            }
        });
    }
}
