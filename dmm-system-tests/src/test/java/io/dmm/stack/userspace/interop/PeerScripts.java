package io.dmm.stack.userspace.interop;

import io.dmm.systemtest.host.NetNamespace;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** The python3 peers of the tests (test resources beside this class), copied where Linux can run them. */
final class PeerScripts {
    private PeerScripts() {}

    /** Copies script {@code name} into the namespace's scratch directory and returns its path there. */
    static Path copy(NetNamespace ns, String name) throws IOException {
        Path target = ns.scratch().resolve(name);
        try (InputStream in = PeerScripts.class.getResourceAsStream(name)) {
            if (in == null) throw new IOException("no test resource " + name + " beside " + PeerScripts.class.getName());
            Files.copy(in, target);
        }
        return target;
    }
}
