package io.dmm.core.channel;

import java.io.IOException;
import java.nio.channels.AsynchronousChannel;
import java.nio.channels.CompletionHandler;
import java.util.concurrent.CompletableFuture;

/**
 * The Future of a routed asynchronous operation's Future form. The routed channels implement every
 * operation once, with a completion handler (fallback and counting need one); the Future forms
 * complete one of these from that handler. As the JDK's futures, {@code cancel(true)} closes the
 * channel (the operation's state is unknown after a cancel, so the channel is unusable anyway).
 */
final class AsyncResult<V> extends CompletableFuture<V> implements CompletionHandler<V, Object> {
    private final AsynchronousChannel channel;

    AsyncResult(AsynchronousChannel channel) {
        this.channel = channel;
    }

    @Override
    public void completed(V result, Object attachment) {
        complete(result);
    }

    @Override
    public void failed(Throwable exc, Object attachment) {
        completeExceptionally(exc);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled && mayInterruptIfRunning) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the cancel succeeded; a failing close has no one to report to
            }
        }
        return cancelled;
    }
}
