package io.dmm.jdk.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.channels.SocketChannel;

/**
 * The blocking stream calls of one connected SocketChannel of any stack, for a routed channel that
 * forwards its Socket's reads and writes to its leg: a {@link TimedSocketChannel} answers itself; a
 * JDK channel through its own adaptor's streams, taken once and kept (the JDK makes new streams on
 * each getInputStream) with SO_TIMEOUT set only when it changes. Races between threads at most take
 * the streams twice, which is harmless.
 */
public final class TimedStreams {
    private final SocketChannel ch;
    private final TimedSocketChannel timed;
    private InputStream in;
    private OutputStream out;

    public TimedStreams(SocketChannel ch) {
        this.ch = ch;
        this.timed = ch instanceof TimedSocketChannel t ? t : null;
    }

    public int read(byte[] b, int off, int len, long timeoutNanos) throws IOException {
        if (timed != null) {
            return timed.read(b, off, len, timeoutNanos);
        }
        Socket s = ch.socket();
        int millis = AdaptorOptions.toMillis(timeoutNanos);
        if (s.getSoTimeout() != millis) {
            s.setSoTimeout(millis);
        }
        InputStream i = in;
        if (i == null) {
            if (s.isInputShutdown()) {
                return -1; // as the JDK's blocking read; its adaptor hands out no stream any more
            }
            i = in = s.getInputStream();
        }
        return i.read(b, off, len);
    }

    public int available() throws IOException {
        if (timed != null) {
            return timed.available();
        }
        InputStream i = in;
        if (i == null) {
            Socket s = ch.socket();
            if (s.isInputShutdown()) {
                return 0;
            }
            i = in = s.getInputStream();
        }
        return i.available();
    }

    public void writeFully(byte[] b, int off, int len) throws IOException {
        if (timed != null) {
            timed.writeFully(b, off, len);
            return;
        }
        OutputStream o = out;
        if (o == null) {
            o = out = ch.socket().getOutputStream();
        }
        o.write(b, off, len);
    }
}
