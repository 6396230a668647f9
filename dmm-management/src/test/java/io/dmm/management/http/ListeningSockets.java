package io.dmm.management.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Test helper: the TCP sockets this process is listening on, from {@code /proc/net/tcp} and
 * {@code /proc/net/tcp6} (state 0A) joined with the socket inodes of {@code /proc/self/fd}: what
 * {@code ss -ltnp} would say for this JVM, without running it.
 */
public final class ListeningSockets {
    private ListeningSockets() {
    }

    public static Set<InetSocketAddress> ofThisProcess() {
        Set<Long> inodes = socketInodes();
        Set<InetSocketAddress> out = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(table));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + table + " (Linux /proc is needed)", e);
            }
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f[3].equals("0A") && inodes.contains(Long.parseLong(f[9]))) {
                    out.add(address(f[1]));
                }
            }
        }
        return out;
    }

    private static Set<Long> socketInodes() {
        Set<Long> out = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        out.add(Long.parseLong(target.substring(8, target.length() - 1)));
                    }
                } catch (IOException e) {
                    // closed while listing
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list /proc/self/fd", e);
        }
        return out;
    }

    /** {@code 0100007F:1F90} (IPv4, little-endian words) or the 32-hex-digit IPv6 form. */
    private static InetSocketAddress address(String hex) {
        String[] hp = hex.split(":");
        String h = hp[0];
        byte[] addr = new byte[h.length() / 2];
        for (int word = 0; word < addr.length / 4; word++) {
            for (int b = 0; b < 4; b++) {
                int at = word * 8 + (3 - b) * 2;   // each 32-bit word is in host (little-endian) order
                addr[word * 4 + b] = (byte) Integer.parseInt(h.substring(at, at + 2), 16);
            }
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(addr), Integer.parseInt(hp[1], 16));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
