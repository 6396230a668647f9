package io.dmm.jdk.async;

import java.io.IOException;
import java.nio.channels.AsynchronousChannel;
import java.nio.channels.CompletionHandler;
import java.util.concurrent.CompletableFuture;

/**
 * The Future of an asynchronous operation's Future form, for channels that implement every
 * operation once, with a completion handler (DMM's routed channels: fallback and counting need one;
 * the userspace stack's): the Future forms complete one of these from that handler. As the JDK's futures: a cancel tells the channel, which
 * then refuses further operations of that kind (the stack's operation is still pending and its
 * result is dropped, so what it transferred is unknown), and {@code cancel(true)} also closes the
 * channel.
 */
public final class AsyncResult<V> extends CompletableFuture<V> implements CompletionHandler<V, Object>, FutureCompletion {
    private final AsynchronousChannel channel;
    private final Runnable onCancel;

    /** {@code onCancel}: what the channel does when this is cancelled (the JDK's "kill" of the operation). */
    public AsyncResult(AsynchronousChannel channel, Runnable onCancel) {
        this.channel = channel;
        this.onCancel = onCancel;
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
    public boolean completesFutureOnly() {
        return true;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled) {
            onCancel.run();
        }
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
