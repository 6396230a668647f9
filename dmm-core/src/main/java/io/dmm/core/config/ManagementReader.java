package io.dmm.core.config;

import io.dmm.core.policy.ManagementSettings;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads a policy's {@code management} section into {@link ManagementSettings}. */
final class ManagementReader {
    static final List<String> KEYS = List.of("watch", "watchIntervalMs", "stackModules", "jmx", "http", "jmxRemote");
    private static final List<String> HTTP_KEYS = List.of("address", "port", "tokenFile");
    private static final List<String> JMX_REMOTE_KEYS = List.of("address", "port", "passwordFile", "accessFile");

    private ManagementReader() {
    }

    static ManagementSettings read(LocatedValue section, Path baseDir) {
        if (section == null) {
            return ManagementSettings.DEFAULTS;
        }
        JsonValues.requireObject(section, "an object such as {\"watch\": true, \"http\": {...}}");
        ConfigProblems.allowOnly(section, KEYS);
        ManagementSettings d = ManagementSettings.DEFAULTS;
        LocatedValue v;
        boolean watch = (v = section.member("watch")) == null ? d.watch() : bool(v);
        long interval = d.watchIntervalMillis();
        if ((v = section.member("watchIntervalMs")) != null) {
            if (!v.isLong() || v.longValue() < 10 || v.longValue() > 3_600_000) {
                throw ConfigProblems.expected(v, "a number of milliseconds from 10 to 3600000");
            }
            interval = v.longValue();
        }
        Path modules = null;
        if ((v = section.member("stackModules")) != null) {
            modules = PolicyFiles.resolve(baseDir, JsonValues.requireString(v, "a directory of stack module jars"));
            if (!Files.isDirectory(modules)) {
                throw ConfigProblems.at(v, "stack module directory not found: " + modules.toAbsolutePath());
            }
        }
        boolean jmx = (v = section.member("jmx")) == null ? d.jmx() : bool(v);
        ManagementSettings.Http http = null;
        if ((v = section.member("http")) != null) {
            JsonValues.requireObject(v, "an object {\"port\": 9464, \"tokenFile\": FILE} (\"address\" optional)");
            ConfigProblems.allowOnly(v, HTTP_KEYS);
            http = new ManagementSettings.Http(address(v), readableFile(v, "tokenFile", "the file holding the bearer"
                    + " token", baseDir));
        }
        ManagementSettings.JmxRemote remote = null;
        if ((v = section.member("jmxRemote")) != null) {
            JsonValues.requireObject(v, "an object {\"port\": 9010, \"passwordFile\": FILE} (\"address\" and"
                    + " \"accessFile\" optional)");
            ConfigProblems.allowOnly(v, JMX_REMOTE_KEYS);
            Path access = v.member("accessFile") == null ? null
                    : readableFile(v, "accessFile", "a JMX access file", baseDir);
            remote = new ManagementSettings.JmxRemote(address(v), readableFile(v, "passwordFile",
                    "a JMX password file: remote JMX always requires authentication", baseDir), access);
        }
        return new ManagementSettings(watch, interval, modules, jmx, http, remote);
    }

    private static boolean bool(LocatedValue v) {
        if (v.kind() != LocatedValue.Kind.BOOLEAN) {
            throw ConfigProblems.expected(v, "true or false");
        }
        return (Boolean) v.scalar();
    }

    /** {@code "address"} (an IP literal, loopback when absent) and {@code "port"} (required). */
    private static InetSocketAddress address(LocatedValue endpoint) {
        LocatedValue p = JsonValues.requireMember(endpoint, "port", "the TCP port to listen on, 0 for any free one");
        if (!p.isLong() || p.longValue() < 0 || p.longValue() > 65535) {
            throw ConfigProblems.expected(p, "a port number from 0 to 65535");
        }
        InetAddress host = InetAddress.getLoopbackAddress();
        LocatedValue a = endpoint.member("address");
        if (a != null) {
            String text = JsonValues.requireString(a, "an IP address to listen on, e.g. \"127.0.0.1\" or \"::\"");
            try {
                host = InetAddress.ofLiteral(text);
            } catch (IllegalArgumentException e) {
                throw ConfigProblems.at(a, a.render() + " is not an IP address (host names are not resolved here)");
            }
        }
        return new InetSocketAddress(host, (int) p.longValue());
    }

    private static Path readableFile(LocatedValue endpoint, String key, String what, Path baseDir) {
        LocatedValue f = JsonValues.requireMember(endpoint, key, what);
        Path file = PolicyFiles.resolve(baseDir, JsonValues.requireString(f, what));
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw ConfigProblems.at(f, "cannot read " + file.toAbsolutePath() + " (" + what + ")");
        }
        return file;
    }
}
