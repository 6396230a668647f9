package io.dmm.stack.userspace.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dmm.systemtest.host.NetNamespace;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 on both sides: the JDK's in the test, coreutils' {@code sha256sum} in the namespace. */
final class Digests {
    private Digests() {}

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }

    /** {@code sha256sum FILE} run by Linux inside the namespace: the hex digest. */
    static String sha256sum(NetNamespace ns, Path file) {
        String out = ns.execOk("sha256sum", file.toString()).stdout();
        String hex = out.split("\\s+")[0];
        assertEquals(64, hex.length(), () -> "unexpected sha256sum output: " + out);
        return hex;
    }
}
