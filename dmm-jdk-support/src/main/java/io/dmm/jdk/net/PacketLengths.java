package io.dmm.jdk.net;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.DatagramPacket;

/**
 * A DatagramPacket's two lengths as the JDK's own sockets handle them: a receive fills at most the
 * buffer length ({@code bufLength}) and then sets only the length received ({@code length}), so a
 * packet reused for the next receive keeps its whole buffer. java.net keeps both in private fields
 * and its public {@code setLength} sets both, so only deep reflection on java.net can do the same:
 * DMM's agent opens java.net to DMM for it, and a program without the agent may pass
 * {@code --add-opens java.base/java.net=ALL-UNNAMED}. Without that, {@link #available()} is false.
 */
final class PacketLengths {
    private static final VarHandle LENGTH;
    private static final VarHandle BUFFER_LENGTH;

    static {
        VarHandle length = null;
        VarHandle bufferLength = null;
        if (DatagramPacket.class.getModule().isOpen(DatagramPacket.class.getPackageName(), PacketLengths.class.getModule())) {
            try {
                MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(DatagramPacket.class, MethodHandles.lookup());
                length = lookup.findVarHandle(DatagramPacket.class, "length", int.class);
                bufferLength = lookup.findVarHandle(DatagramPacket.class, "bufLength", int.class);
            } catch (ReflectiveOperationException e) {
                length = null; // another JDK's DatagramPacket: the adaptor's fallback applies
                bufferLength = null;
            }
        }
        LENGTH = length;
        BUFFER_LENGTH = bufferLength;
    }

    private PacketLengths() {
    }

    /** Whether the two lengths can be read and set apart here. */
    static boolean available() {
        return LENGTH != null && BUFFER_LENGTH != null;
    }

    /** How many bytes a receive into {@code p} may fill. Only when {@link #available()}. */
    static int bufferLength(DatagramPacket p) {
        return (int) BUFFER_LENGTH.get(p);
    }

    /** Records that a receive put {@code received} bytes into {@code p}, its buffer length unchanged. Only when {@link #available()}. */
    static void setReceived(DatagramPacket p, int received) {
        LENGTH.set(p, received);
    }
}
