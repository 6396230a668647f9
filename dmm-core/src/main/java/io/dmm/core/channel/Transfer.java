package io.dmm.core.channel;

import io.dmm.core.routing.SocketTable;
import io.dmm.core.routing.StackHandle;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ScatteringByteChannel;

/**
 * The four byte-moving calls of a connected channel (read, scattering read, write, gathering
 * write) and the counters (stack and socket) each one feeds. They are constants so that a routed channel runs all
 * of them through one blocking wrapper without allocating anything per call.
 */
enum Transfer {
    READ, SCATTER, WRITE, GATHER;

    /** Runs this call on {@code ch}: {@code one} for READ/WRITE, {@code many[offset..offset+length)} otherwise. */
    <C extends ByteChannel & ScatteringByteChannel & GatheringByteChannel> long on(
            C ch, ByteBuffer one, ByteBuffer[] many, int offset, int length) throws IOException {
        return switch (this) {
            case READ -> ch.read(one);
            case SCATTER -> ch.read(many, offset, length);
            case WRITE -> ch.write(one);
            case GATHER -> ch.write(many, offset, length);
        };
    }

    /**
     * Adds {@code n} bytes moved to the stack's and the socket's in or out counter (nothing for 0
     * or end of stream).
     */
    void count(StackHandle stack, SocketTable.Entry socket, long n) {
        if (n > 0) {
            if (this == READ || this == SCATTER) {
                stack.bytesIn(n);
                socket.addIn(n);
            } else {
                stack.bytesOut(n);
                socket.addOut(n);
            }
        }
    }
}
