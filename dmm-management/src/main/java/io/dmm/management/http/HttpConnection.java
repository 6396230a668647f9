package io.dmm.management.http;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the one request of one accepted connection: reads the head, lets the handler admit it,
 * reads the body (at most {@value #MAX_BODY_BYTES} bytes), writes the response and closes.
 *
 * <p>Time is bounded twice: each read waits at most {@value #READ_TIMEOUT_MS} ms, and the whole
 * request must arrive within {@value #REQUEST_DEADLINE_MS} ms, so a client trickling bytes cannot
 * hold a connection slot for long.
 */
final class HttpConnection {
    private static final Logger LOG = LoggerFactory.getLogger(HttpConnection.class);

    /** Large enough for a policy of 100,000 rules; only an authenticated client gets to send it. */
    static final int MAX_BODY_BYTES = 16 * 1024 * 1024;
    static final int READ_TIMEOUT_MS = 10_000;
    static final int REQUEST_DEADLINE_MS = 60_000;
    /** After a refused body: how much of it is read and dropped, and for how long, before closing. */
    private static final long DRAIN_LIMIT_BYTES = 2L * MAX_BODY_BYTES;
    private static final int DRAIN_TIMEOUT_MS = 2_000;

    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final SocketChannel channel;
    private final RequestHandler handler;

    HttpConnection(SocketChannel channel, RequestHandler handler) {
        this.channel = channel;
        this.handler = handler;
    }

    void serve() {
        try (SocketChannel ch = channel) {
            InetSocketAddress client = (InetSocketAddress) ch.getRemoteAddress();
            ch.socket().setSoTimeout(READ_TIMEOUT_MS);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REQUEST_DEADLINE_MS);
            InputStream in = new BufferedInputStream(new DeadlineInputStream(ch.socket().getInputStream(), deadline),
                    8192);
            HttpResponse response;
            boolean bodyRead = false;
            try {
                HttpRequestHead head = HttpRequestParser.read(in);
                if (head == null) {
                    return;
                }
                long length = head.contentLength();
                response = handler.admit(head);
                if (response == null && length > MAX_BODY_BYTES) {
                    response = HttpResponse.error(413, "request body of " + length + " bytes; at most "
                            + MAX_BODY_BYTES + " are accepted");
                }
                if (response == null) {
                    if (head.expectsContinue() && length > 0) {
                        write(ch, CONTINUE);
                    }
                    byte[] body = in.readNBytes((int) length);
                    if (body.length != length) {
                        throw new HttpProblem(400, "the connection ended inside the request body");
                    }
                    bodyRead = true;
                    response = handler.handle(head, body, client);
                } else {
                    bodyRead = length == 0;
                }
            } catch (HttpProblem p) {
                response = HttpResponse.error(p.status(), p.getMessage());
            } catch (SocketTimeoutException e) {
                response = HttpResponse.error(408, "the request did not arrive in time");
            }
            write(ch, response.encode());
            lingeringClose(ch, in, bodyRead);
        } catch (IOException e) {
            LOG.debug("HTTP endpoint: connection failed", e);
        } catch (RuntimeException e) {
            LOG.warn("HTTP endpoint: request failed", e);
        }
    }

    private static void write(SocketChannel ch, byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /**
     * Closing a socket with unread request bytes makes the kernel send RST, and the client may then
     * lose the response it has not read yet (a 401 or 413 to a client still sending its body). So
     * the output is shut down first and what the client still sends is read and dropped, briefly.
     */
    private static void lingeringClose(SocketChannel ch, InputStream in, boolean bodyRead) throws IOException {
        ch.shutdownOutput();
        ch.socket().setSoTimeout(DRAIN_TIMEOUT_MS);
        long limit = bodyRead ? 64 * 1024 : DRAIN_LIMIT_BYTES;
        try {
            long dropped = 0;
            while (dropped < limit) {
                long n = in.skip(limit - dropped);
                if (n <= 0 && in.read() < 0) {
                    return;
                }
                dropped += Math.max(n, 1);
            }
        } catch (IOException e) {
            // timeout or reset: the response is out, the client is gone or stuck
        }
    }

    /** Fails a read once the request's deadline has passed. */
    private static final class DeadlineInputStream extends FilterInputStream {
        private final long deadline;

        DeadlineInputStream(InputStream in, long deadline) {
            super(in);
            this.deadline = deadline;
        }

        private void check() throws SocketTimeoutException {
            if (System.nanoTime() - deadline > 0) {
                throw new SocketTimeoutException("request deadline passed");
            }
        }

        @Override
        public int read() throws IOException {
            check();
            return super.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            check();
            return super.read(b, off, len);
        }
    }
}
