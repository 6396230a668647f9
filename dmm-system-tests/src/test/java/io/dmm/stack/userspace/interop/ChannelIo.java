package io.dmm.stack.userspace.interop;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.security.MessageDigest;
import java.util.HexFormat;

/** Whole-stream reads and writes on a blocking channel of the userspace stack. */
final class ChannelIo {
    private ChannelIo() {}

    static void writeFully(SocketChannel c, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) c.write(b);
    }

    /** Sends the whole seeded stream; returns its hex SHA-256. */
    static String writeAll(SocketChannel c, SeededBytes bytes) throws IOException {
        while (bytes.hasNext()) writeFully(c, bytes.next());
        return bytes.sha256Hex();
    }

    /** Reads until EOF; returns the number of bytes and their hex SHA-256. */
    static Received readToEof(SocketChannel c) throws IOException {
        MessageDigest sha256 = Digests.sha256();
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        long total = 0;
        int n;
        while ((n = c.read(buf)) >= 0) {
            buf.flip();
            sha256.update(buf);
            buf.clear();
            total += n;
        }
        return new Received(total, HexFormat.of().formatHex(sha256.digest()));
    }

    /** Reads until EOF into memory (short replies only). */
    static byte[] readSmallToEof(SocketChannel c) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(4096);
        while (c.read(buf) >= 0) {
            out.write(buf.array(), 0, buf.position());
            buf.clear();
            if (out.size() > 1 << 20) throw new IOException("more than 1 MiB where a short reply was expected");
        }
        return out.toByteArray();
    }

    /** Reads exactly {@code dst.remaining()} bytes; EOF before that is an error. */
    static void readFully(SocketChannel c, ByteBuffer dst) throws IOException {
        while (dst.hasRemaining()) {
            if (c.read(dst) < 0) throw new IOException("EOF after " + dst.position() + " of " + dst.limit() + " bytes");
        }
    }

    record Received(long bytes, String sha256Hex) {}
}
