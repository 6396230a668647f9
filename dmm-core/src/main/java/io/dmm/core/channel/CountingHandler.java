package io.dmm.core.channel;

import io.dmm.core.routing.SocketTable;
import io.dmm.core.routing.StackHandle;
import io.dmm.jdk.async.FutureCompletion;
import java.nio.channels.CompletionHandler;

/**
 * Wraps a program's handler of a routed asynchronous read or write: counts the transferred bytes on
 * the stack and on the socket when the operation completes (the only moment they are known), then
 * passes the result on unchanged. Runs on the thread the stack's channel completes on, as the
 * program's handler would.
 */
final class CountingHandler<V extends Number, A> implements CompletionHandler<V, A>, FutureCompletion {
    private final CompletionHandler<V, ? super A> handler;
    private final StackHandle stack;
    private final SocketTable.Entry socket;
    private final boolean in;

    CountingHandler(CompletionHandler<V, ? super A> handler, StackHandle stack, SocketTable.Entry socket, boolean in) {
        this.handler = handler;
        this.stack = stack;
        this.socket = socket;
        this.in = in;
    }

    @Override
    public void completed(V result, A attachment) {
        count(result.longValue(), stack, socket, in);
        handler.completed(result, attachment);
    }

    /** Counts {@code n} bytes transferred in or out on the stack and on the socket. */
    static void count(long n, StackHandle stack, SocketTable.Entry socket, boolean in) {
        if (n > 0) {
            if (in) {
                stack.bytesIn(n);
                socket.addIn(n);
            } else {
                stack.bytesOut(n);
                socket.addOut(n);
            }
        }
    }

    /** When it counts for a Future: counting is quick and thread-agnostic too. */
    @Override
    public boolean completesFutureOnly() {
        return FutureCompletion.isFutureOnly(handler);
    }

    @Override
    public void failed(Throwable exc, A attachment) {
        handler.failed(exc, attachment);
    }
}
