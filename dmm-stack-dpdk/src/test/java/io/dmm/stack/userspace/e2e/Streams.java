package io.dmm.stack.userspace.e2e;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Sends a {@link StreamPattern} through a blocking channel, or drains one, hashing with SHA-256 as it goes. */
final class Streams {
    private Streams() {}

    /** What one side saw: the byte count and the SHA-256 of the bytes in order. */
    record Digest(long bytes, String sha256) {}

    /** Writes {@code bytes} bytes of the pattern, then shuts output down (the reader sees EOF). */
    static Digest send(SocketChannel ch, StreamPattern pattern, long bytes) throws IOException {
        MessageDigest sha = sha256();
        ByteBuffer chunk = ByteBuffer.allocate(StreamPattern.CHUNK);
        long sent = 0;
        for (long index = 0; sent < bytes; index++) {
            chunk.clear().limit((int) Math.min(StreamPattern.CHUNK, bytes - sent));
            pattern.fill(index, chunk);
            sha.update(chunk.array(), 0, chunk.limit());
            while (chunk.hasRemaining()) {
                int n = ch.write(chunk);
                if (n < 0) throw new IOException("write returned " + n);
            }
            sent += chunk.limit();
        }
        ch.shutdownOutput();
        return new Digest(sent, HexFormat.of().formatHex(sha.digest()));
    }

    /** Reads until EOF. */
    static Digest receive(SocketChannel ch) throws IOException {
        MessageDigest sha = sha256();
        ByteBuffer buf = ByteBuffer.allocate(256 * 1024);
        long received = 0;
        while (true) {
            buf.clear();
            int n = ch.read(buf);
            if (n < 0) break;
            sha.update(buf.array(), 0, n);
            received += n;
        }
        return new Digest(received, HexFormat.of().formatHex(sha.digest()));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
