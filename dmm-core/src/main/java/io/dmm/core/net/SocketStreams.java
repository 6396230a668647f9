package io.dmm.core.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;
import java.util.Objects;

/**
 * The streams {@link DmmSocketImpl} hands java.net.Socket (which wraps them once more): reads and
 * writes go to the routed channel's Socket adaptor streams, with NioSocketImpl's state checks,
 * exceptions and interrupt behaviour.
 */
final class SocketStreams {
    private SocketStreams() {
    }

    static final class In extends InputStream {
        private final DmmSocketImpl impl;
        private final InputStream in;

        In(DmmSocketImpl impl, InputStream in) {
            this.impl = impl;
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n > 0 ? one[0] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            impl.connectedSocket();
            boolean suspended = PendingInterrupt.suspendForRead(
                    Thread.currentThread().isInterrupted() && in.available() > 0);
            try {
                return in.read(b, off, len);
            } catch (IOException e) {
                throw SocketErrors.forIo(e);
            } finally {
                PendingInterrupt.restore(suspended);
            }
        }

        @Override
        public int available() throws IOException {
            return impl.available();
        }

        @Override
        public void close() throws IOException {
            impl.close();
        }
    }

    static final class Out extends OutputStream {
        private final DmmSocketImpl impl;
        private final OutputStream out;

        Out(DmmSocketImpl impl, OutputStream out) {
            this.impl = impl;
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return;
            }
            if (impl.connectedSocket().isOutputShutdown()) {
                // NioSocketImpl writes to the shut-down socket and the kernel answers EPIPE; the
                // channel refuses earlier with a ClosedChannelException: give the JDK's answer
                throw new SocketException("Broken pipe");
            }
            boolean suspended = PendingInterrupt.suspend();
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw SocketErrors.forIo(e);
            } finally {
                PendingInterrupt.restore(suspended);
            }
        }

        @Override
        public void close() throws IOException {
            impl.close();
        }
    }
}
