package io.dmm.core.channel;

import java.io.IOException;
import java.nio.channels.spi.AbstractInterruptibleChannel;

/**
 * What a face does after its stack's channel threw, written once for every face: a stack channel
 * that is closed now was closed by an interrupt of the calling thread (the JDK closes an
 * interruptible channel then) or under the face, and the face closes too, as the JDK's channel
 * would be closed. The channel itself is asked because the exception does not say it: the JDK
 * also throws an AsynchronousCloseException for a write after shutdownOutput, and the channel is
 * open then.
 *
 * <p>Only on the failure path; {@code isOpen} and {@code close} are final in
 * AbstractInterruptibleChannel, so it adds no virtual call there either.
 */
final class DelegateClosed {
    private DelegateClosed() {
    }

    /** Closes {@code face} if {@code delegate}, which threw {@code e}, is closed; returns {@code e} to throw. */
    static <E extends IOException> E closeFace(E e, AbstractInterruptibleChannel delegate,
                                               AbstractInterruptibleChannel face) throws IOException {
        if (!delegate.isOpen()) {
            face.close();
        }
        return e;
    }

    /**
     * As {@link #closeFace}, for a call made inside the face's begin()/end() when {@code blocked}:
     * a non-blocking call is never interrupted, and its failure leaves the face as it is.
     */
    static IOException afterBlocking(boolean blocked, IOException e, AbstractInterruptibleChannel delegate,
                                     AbstractInterruptibleChannel face) throws IOException {
        return blocked ? closeFace(e, delegate, face) : e;
    }
}
