package io.dmm.management.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The secret every HTTP request must present as {@code Authorization: Bearer <token>}: the trimmed
 * content of the policy's {@code tokenFile}.
 *
 * <p>Only the token's SHA-256 is kept, and a presented token is compared by its SHA-256 with
 * {@link MessageDigest#isEqual} (constant time): neither the comparison's duration nor a length
 * check tells an attacker how much of a guess was right.
 */
final class BearerToken {
    private static final Logger LOG = LoggerFactory.getLogger(BearerToken.class);
    private static final String SCHEME = "bearer";

    private final byte[] digest;
    private final Path file;

    private BearerToken(byte[] digest, Path file) {
        this.digest = digest;
        this.file = file;
    }

    /**
     * Reads the token from {@code file}.
     *
     * @throws IllegalStateException when the file cannot be read, is empty, or holds characters a
     *         client cannot send in an HTTP header (the endpoint then does not start)
     */
    static BearerToken read(Path file) {
        String token;
        try {
            token = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalStateException("cannot read the HTTP endpoint's token file " + file.toAbsolutePath()
                    + ": " + e.getMessage(), e);
        }
        if (token.isEmpty()) {
            throw new IllegalStateException("the HTTP endpoint's token file " + file.toAbsolutePath()
                    + " is empty; put a secret in it (e.g. `head -c 32 /dev/urandom | base64 > "
                    + file.getFileName() + "`)");
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new IllegalStateException("the HTTP endpoint's token in " + file.toAbsolutePath()
                        + " must be one word of visible ASCII characters (found character " + (int) c
                        + " at offset " + i + ")");
            }
        }
        warnIfOthersCanRead(file);
        return new BearerToken(sha256(token.getBytes(StandardCharsets.US_ASCII)), file);
    }

    private static void warnIfOthersCanRead(Path file) {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.warn("the HTTP endpoint's token file {} can be read by other users than its owner; whoever reads"
                        + " it can steer DMM (chmod 600 it)", file.toAbsolutePath());
            }
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system: nothing to say
        }
    }

    Path file() {
        return file;
    }

    /** True if {@code authorization} (the header's value, or null) is {@code Bearer <this token>}. */
    boolean admits(String authorization) {
        if (authorization == null) {
            return false;
        }
        String h = authorization.strip();
        int space = h.indexOf(' ');
        if (space < 0 || !h.substring(0, space).toLowerCase(Locale.ROOT).equals(SCHEME)) {
            return false;
        }
        String presented = h.substring(space + 1).strip();
        return MessageDigest.isEqual(digest, sha256(presented.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
