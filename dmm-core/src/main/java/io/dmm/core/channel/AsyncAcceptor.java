package io.dmm.core.channel;

import io.dmm.core.routing.StackHandle;
import java.io.IOException;
import java.nio.channels.AcceptPendingException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.ShutdownChannelGroupException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Accepts for a routed asynchronous server from all of its listening members (one per stack of a
 * wildcard bind on a route of several stacks; usually one). The program may have one accept
 * pending, as on the JDK; a member only has an accept outstanding while the program waits, and a
 * member that completes after another member already satisfied the program's accept queues its
 * connection for the next one, so no connection is lost and the queue holds at most one per
 * member.
 */
final class AsyncAcceptor {
    /** A member's outcome: an accepted channel, or a failure. */
    private record Outcome(Leg<AsynchronousServerSocketChannel> member, AsynchronousSocketChannel ch, Throwable failure) {
    }

    /** The program's pending accept. */
    private record Waiter(Object attachment, CompletionHandler<AsynchronousSocketChannel, Object> handler) {
    }

    private final List<Leg<AsynchronousServerSocketChannel>> members;
    private final StackGroup group;
    private final BiFunction<Leg<AsynchronousServerSocketChannel>, AsynchronousSocketChannel, AsynchronousSocketChannel> wrap;
    private final boolean[] armed;             // guarded by this
    private final ArrayDeque<Outcome> ready = new ArrayDeque<>(); // guarded by this
    private Waiter waiter;                     // guarded by this
    private boolean closed;                    // guarded by this

    /** {@code wrap} turns a member's accepted channel into the routed channel the program gets. */
    AsyncAcceptor(List<Leg<AsynchronousServerSocketChannel>> members, StackGroup group,
                  BiFunction<Leg<AsynchronousServerSocketChannel>, AsynchronousSocketChannel, AsynchronousSocketChannel> wrap) {
        this.members = List.copyOf(members);
        this.group = group;
        this.wrap = wrap;
        this.armed = new boolean[members.size()];
    }

    List<Leg<AsynchronousServerSocketChannel>> members() {
        return members;
    }

    /** The program's accept; AcceptPendingException while one is pending, as the JDK's. */
    @SuppressWarnings("unchecked")
    <A> void accept(A attachment, CompletionHandler<AsynchronousSocketChannel, ? super A> handler) {
        Outcome now;
        synchronized (this) {
            if (waiter != null) {
                throw new AcceptPendingException();
            }
            now = ready.poll();
            if (now == null) {
                waiter = new Waiter(attachment, (CompletionHandler<AsynchronousSocketChannel, Object>) handler);
                if (closed) {
                    now = new Outcome(null, null, new AsynchronousCloseException());
                }
            }
        }
        if (now != null) {
            // known before any I/O, on the program's thread: delivered on the group's terms
            Outcome o = now;
            CompletionHandler<AsynchronousSocketChannel, Object> h = (CompletionHandler<AsynchronousSocketChannel, Object>) handler;
            Object result = routed(o);
            if (result instanceof Throwable t) {
                GroupDispatch.failed(group, h, attachment, t);
            } else {
                GroupDispatch.completed(group, h, attachment, (AsynchronousSocketChannel) result);
            }
            return;
        }
        armAll();
    }

    /** Starts an accept on every member that has none outstanding (outside the lock: it may complete at once). */
    private void armAll() {
        for (int i = 0; i < members.size(); i++) {
            synchronized (this) {
                if (armed[i] || waiter == null || closed) {
                    continue;
                }
                armed[i] = true;
            }
            Leg<AsynchronousServerSocketChannel> m = members.get(i);
            int index = i;
            try {
                m.ch.accept(null, new CompletionHandler<AsynchronousSocketChannel, Void>() {
                    @Override
                    public void completed(AsynchronousSocketChannel ch, Void a) {
                        arrived(index, new Outcome(m, ch, null));
                    }

                    @Override
                    public void failed(Throwable exc, Void a) {
                        arrived(index, new Outcome(m, null, exc));
                    }
                });
            } catch (RuntimeException e) {
                // e.g. ShutdownChannelGroupException: the program's accept fails with it
                arrived(index, new Outcome(m, null, e));
            }
        }
    }

    /** A member finished: to the waiting program, else queued for the next accept. */
    private void arrived(int index, Outcome o) {
        Waiter w;
        synchronized (this) {
            armed[index] = false;
            if (closed && o.ch() != null) {
                closeQuietly(o.ch());
                o = new Outcome(o.member(), null, new AsynchronousCloseException());
            }
            if (closed && waiter == null) {
                return;
            }
            w = waiter;
            if (w == null) {
                ready.add(o);
                return;
            }
            waiter = null;
        }
        deliver(o, w.attachment(), w.handler());
    }

    private void deliver(Outcome o, Object attachment, CompletionHandler<AsynchronousSocketChannel, Object> handler) {
        Object result = routed(o);
        if (result instanceof Throwable t) {
            handler.failed(t, attachment);
        } else {
            handler.completed((AsynchronousSocketChannel) result, attachment);
        }
    }

    /**
     * What the program gets for {@code o}: the routed channel, or the failure. The group refuses a new
     * channel once shut down, as the JDK's does when it registers the channel an accept made: the
     * connection is closed and the accept fails with an IOException whose cause is the
     * ShutdownChannelGroupException (the JDK wraps what is not an IOException).
     */
    private Object routed(Outcome o) {
        if (o.failure() != null) {
            return o.failure();
        }
        try {
            return wrap.apply(o.member(), o.ch());
        } catch (ShutdownChannelGroupException e) {
            closeQuietly(o.ch());
            return new IOException(e);
        }
    }

    /**
     * Closes every member (their outstanding accepts fail, and the program's pending accept gets an
     * AsynchronousCloseException from the first of them) and the queued connections.
     */
    void close() throws IOException {
        synchronized (this) {
            closed = true;
            for (Outcome o : ready) {
                if (o.ch() != null) {
                    closeQuietly(o.ch());
                }
            }
            ready.clear();
        }
        for (Leg<AsynchronousServerSocketChannel> m : members) {
            m.release();
        }
        Waiter w;
        synchronized (this) {
            // a waiter with no member accept outstanding (none was armed yet) would wait forever
            boolean anyArmed = false;
            for (boolean a : armed) {
                anyArmed |= a;
            }
            w = anyArmed ? null : waiter;
            if (w != null) {
                waiter = null;
            }
        }
        if (w != null) {
            GroupDispatch.failed(group, w.handler(), w.attachment(), new AsynchronousCloseException());
        }
    }

    private static void closeQuietly(AsynchronousSocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // a connection nobody will take: nothing to report
        }
    }
}
