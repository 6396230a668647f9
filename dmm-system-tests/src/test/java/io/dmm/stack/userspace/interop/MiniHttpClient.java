package io.dmm.stack.userspace.interop;

import java.io.IOException;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Just enough HTTP/1.1 for a download over a userspace SocketChannel: one GET, the status line and
 * headers parsed, a body of {@code Content-Length} bytes hashed as it streams in. Written here
 * rather than taken from the JDK because the JDK's HttpClient cannot run over a channel we hand it.
 */
final class MiniHttpClient {
    private static final int MAX_HEAD = 16 * 1024;

    private MiniHttpClient() {}

    record Response(int status, long contentLength, long bodyBytes, String bodySha256Hex) {}

    static Response get(SocketChannel c, String host, String path) throws IOException {
        String request = "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: dmm-interop\r\n"
                + "Connection: close\r\n\r\n";
        ChannelIo.writeFully(c, ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));

        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        int headEnd;
        while ((headEnd = headEnd(buf)) < 0) {
            if (buf.position() >= MAX_HEAD) throw new ProtocolException("no end of headers in " + MAX_HEAD + " bytes");
            if (c.read(buf) < 0) throw new ProtocolException("EOF inside the response head");
        }
        String head = new String(buf.array(), 0, headEnd, StandardCharsets.ISO_8859_1);
        String[] lines = head.split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) throw new ProtocolException("bad status line: " + lines[0]);
        int status = Integer.parseInt(statusLine[1]);
        long contentLength = -1;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0 && lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
                contentLength = Long.parseLong(lines[i].substring(colon + 1).trim());
            }
        }
        if (contentLength < 0) throw new ProtocolException("no Content-Length in:\n" + head);

        MessageDigest sha256 = Digests.sha256();
        // Whatever came with the head is the body's start.
        buf.flip().position(headEnd + 4);
        long body = buf.remaining();
        sha256.update(buf);
        buf.clear();
        while (body < contentLength) {
            buf.limit((int) Math.min(buf.capacity(), contentLength - body));
            int n = c.read(buf);
            if (n < 0) throw new ProtocolException("EOF after " + body + " of " + contentLength + " body bytes");
            buf.flip();
            sha256.update(buf);
            buf.clear();
            body += n;
        }
        return new Response(status, contentLength, body, HexFormat.of().formatHex(sha256.digest()));
    }

    /** Offset of the CRLFCRLF ending the head in buf[0, position), or -1. */
    private static int headEnd(ByteBuffer buf) {
        byte[] a = buf.array();
        for (int i = 0; i + 3 < buf.position(); i++) {
            if (a[i] == '\r' && a[i + 1] == '\n' && a[i + 2] == '\r' && a[i + 3] == '\n') return i;
        }
        return -1;
    }
}
