package io.dmm.stack.userspace.dpdk;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Finds and loads the DPDK shim ({@code src/main/c/dmm_dpdk.c}, built by Maven into the jar). Loading
 * it loads DPDK's shared libraries, so this is where "DPDK is not installed" is found out. The
 * outcome, success or the reason for failure, is decided once per JVM.
 *
 * <p>From a jar the shim is copied to a private temporary file, loaded, and the file deleted at once
 * (the mapping outlives the name), so nothing is left behind.
 */
final class ShimLibrary {
    static final String RESOURCE = "native/linux-x86_64/libdmmdpdk.so";
    /** System property naming a shim file to load instead of the bundled one. */
    static final String PATH_PROPERTY = "dmm.dpdk.shim";
    static final String INSTALL_HINT = "apt-get install dpdk libdpdk-dev";

    /** The DPDK libraries the shim links (by soname, as the dynamic loader looks them up). */
    static final String[] DPDK_LIBRARIES = {"librte_eal.so.23", "librte_ethdev.so.23", "librte_mbuf.so.23",
        "librte_mempool.so.23", "librte_ring.so.23", "librte_net_ring.so.23", "librte_net.so.23"};

    private static SymbolLookup lookup;
    private static String failure;

    private ShimLibrary() {}

    /** The loaded shim's symbols; throws {@link DpdkUnavailableException} (the same one each time) when unusable. */
    static synchronized SymbolLookup require() {
        if (lookup == null && failure == null) {
            try {
                lookup = load();
            } catch (DpdkUnavailableException e) {
                failure = e.getMessage();
            }
        }
        if (lookup == null) throw new DpdkUnavailableException(failure);
        return lookup;
    }

    private static SymbolLookup load() {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "");
        if (!os.equals("Linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new DpdkUnavailableException("DPDK ports need Linux on x86_64; this JVM runs on " + os + "/" + arch);
        }
        String override = System.getProperty(PATH_PROPERTY);
        if (override != null) return open(Path.of(override), false);
        URL url = ShimLibrary.class.getResource(RESOURCE);
        if (url == null) {
            throw new DpdkUnavailableException("DPDK is not usable: this build of dmm-stack-dpdk has no DPDK shim ("
                    + RESOURCE + "), because libdpdk-dev was missing when it was built; " + INSTALL_HINT + " and rebuild");
        }
        if (url.getProtocol().equals("file")) {
            try {
                return open(Path.of(url.toURI()), false);
            } catch (URISyntaxException e) {
                throw new DpdkUnavailableException("DPDK shim at an unusable location " + url, e);
            }
        }
        try (InputStream in = url.openStream()) {
            Path dir = Files.createTempDirectory("dmm-dpdk-", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            Path file = dir.resolve("libdmmdpdk.so");
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return open(file, true);
        } catch (IOException e) {
            throw new DpdkUnavailableException("cannot unpack the DPDK shim from " + url + ": " + e.getMessage(), e);
        }
    }

    /** The JDK's error omits dlopen's reason: name the DPDK library that does not load, or null. */
    private static String firstMissingLibrary() {
        for (String lib : DPDK_LIBRARIES) {
            try (Arena probe = Arena.ofConfined()) {
                SymbolLookup.libraryLookup(lib, probe);
            } catch (IllegalArgumentException e) {
                return lib;
            }
        }
        return null;
    }

    private static SymbolLookup open(Path file, boolean deleteAfterLoad) {
        try {
            return SymbolLookup.libraryLookup(file, Arena.global());
        } catch (IllegalArgumentException e) {
            String missing = firstMissingLibrary();
            throw new DpdkUnavailableException("DPDK is not usable: "
                    + (missing != null ? "DPDK's library " + missing + " cannot be loaded" : e.getMessage())
                    + "; DMM needs the shared libraries of DPDK 22.11 (ABI 23): " + INSTALL_HINT, e);
        } finally {
            if (deleteAfterLoad) {
                try {
                    Files.deleteIfExists(file);
                    Files.deleteIfExists(file.getParent());
                } catch (IOException ignored) {
                    // a leftover temp file is harmless, and the JVM's temp cleanup is not ours
                }
            }
        }
    }
}
