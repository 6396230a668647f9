package io.dmm.core.channel;

import io.dmm.core.routing.SocketTable;
import io.dmm.core.routing.StackHandle;
import io.dmm.jdk.async.FutureCompletion;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.CompletionHandler;

/**
 * The {@link CountingHandler} of one direction (reads or writes) of a routed asynchronous channel,
 * kept and reused from one operation to the next, so that steady-state reads and writes allocate no
 * wrapper: a channel has at most one read and one write pending, so one slot per direction serves
 * every operation but the rare one started while the previous is still pending (the stack refuses
 * it with ReadPendingException or WritePendingException), which gets a CountingHandler of its own.
 *
 * <p>The slot is released before the program's handler runs, since that handler usually starts the
 * next operation of the same direction.
 */
final class CountingSlot implements CompletionHandler<Number, Object>, FutureCompletion {
    private static final VarHandle TAKEN;

    static {
        try {
            TAKEN = MethodHandles.lookup().findVarHandle(CountingSlot.class, "taken", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final SocketTable.Entry socket;
    private final boolean in;
    @SuppressWarnings("unused") // through TAKEN
    private volatile boolean taken;
    // written by the taker before it hands the slot to the stack, read by the completing thread: the
    // stack's hand-off of the operation orders them
    private CompletionHandler<Number, Object> handler;
    private StackHandle stack;

    CountingSlot(SocketTable.Entry socket, boolean in) {
        this.socket = socket;
        this.in = in;
    }

    /** The handler to give the stack for {@code h}'s operation: this slot, or a new wrapper when it is taken. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    <V extends Number, A> CompletionHandler<V, ? super A> take(CompletionHandler<V, ? super A> h, StackHandle s) {
        if (!TAKEN.compareAndSet(this, false, true)) {
            return new CountingHandler<>(h, s, socket, in);
        }
        handler = (CompletionHandler) h;
        stack = s;
        return (CompletionHandler) this;
    }

    /** The stack did not take the operation (it threw): the slot is free again if it was this one's. */
    void giveBack(CompletionHandler<?, ?> given) {
        if (given == this) {
            release();
        }
    }

    private void release() {
        handler = null;
        stack = null;
        taken = false;
    }

    @Override
    public void completed(Number result, Object attachment) {
        CompletionHandler<Number, Object> h = handler;
        StackHandle s = stack;
        release();
        CountingHandler.count(result.longValue(), s, socket, in);
        h.completed(result, attachment);
    }

    @Override
    public void failed(Throwable exc, Object attachment) {
        CompletionHandler<Number, Object> h = handler;
        release();
        h.failed(exc, attachment);
    }

    @Override
    public boolean completesFutureOnly() {
        return FutureCompletion.isFutureOnly(handler);
    }
}
