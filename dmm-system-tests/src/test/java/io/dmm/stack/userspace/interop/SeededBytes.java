package io.dmm.stack.userspace.interop;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * A reproducible stream of {@code size} pseudo-random bytes from a seed, produced chunk by chunk
 * (100 MB never sits in the heap), with the SHA-256 of what was produced so far. Random bytes, not
 * a pattern: a misplaced segment then always changes the hash.
 */
final class SeededBytes {
    static final int CHUNK = 64 * 1024;

    private final SplittableRandom random;
    private final MessageDigest sha256 = Digests.sha256();
    private final byte[] chunk = new byte[CHUNK];
    private long remaining;

    SeededBytes(long seed, long size) {
        this.random = new SplittableRandom(seed);
        this.remaining = size;
    }

    /** The next chunk (at most CHUNK bytes, empty at the end), in a buffer valid until the next call. */
    ByteBuffer next() {
        int n = (int) Math.min(CHUNK, remaining);
        random.nextBytes(chunk);
        remaining -= n;
        sha256.update(chunk, 0, n);
        return ByteBuffer.wrap(chunk, 0, n);
    }

    boolean hasNext() {
        return remaining > 0;
    }

    /** The hex SHA-256 of all bytes produced; call once, at the end. */
    String sha256Hex() {
        return HexFormat.of().formatHex(sha256.digest());
    }

    /** Writes the whole stream to {@code file} and returns its hex SHA-256. */
    static String writeFile(Path file, long seed, long size) throws IOException {
        SeededBytes bytes = new SeededBytes(seed, size);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            while (bytes.hasNext()) {
                ByteBuffer b = bytes.next();
                while (b.hasRemaining()) out.write(b);
            }
        }
        return bytes.sha256Hex();
    }
}
