package io.dmm.core.config;

import io.dmm.core.policy.CompiledPolicy;
import io.dmm.core.policy.ManagementSettings;
import io.dmm.core.policy.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The rule for policies pushed to a running JVM (the runtime API's {@code apply}, reached through
 * the HTTP endpoint's bearer token or a read-write JMX client): they change routing, never the
 * management settings. Those say which directory stack module jars are loaded from
 * ({@code stackModules}: code run in the JVM) and who may reach the JVM and how (endpoints, token
 * and password files, the file watch), so they come only from the local policy file, read at
 * start or on reload, and the command line. Holding the token then lets one steer sockets, not run
 * code or widen one's own access.
 *
 * <p>A pushed policy without a {@code management} section keeps the running settings; one whose
 * section says exactly what runs (a copy of the policy file) is taken; any other is refused at
 * that section, before anything is applied.
 */
final class PushedPolicies {
    private PushedPolicies() {
    }

    /** {@code pushed} (read from {@code root}) with the {@code running} management settings. */
    static Policy keepManagement(LocatedValue root, Policy pushed, ManagementSettings running) {
        LocatedValue section = root.isObject() ? root.member("management") : null;
        List<String> changed = changes(pushed.management(), running);
        if (section != null && !changed.isEmpty()) {
            throw ConfigProblems.at(section, "a pushed policy cannot change the management settings (here "
                    + String.join(", ", changed) + "): they load code (stackModules) and decide who reaches"
                    + " this JVM, so they come only from the local policy file and the command line. Leave"
                    + " \"management\" out to keep the running ones, or change the policy file and reload");
        }
        if (changed.isEmpty()) {
            return pushed;
        }
        if (pushed instanceof CompiledPolicy c) {
            return c.withManagement(running);
        }
        throw ConfigProblems.at(root, "this policy cannot be pushed: it would change the management settings ("
                + String.join(", ", changed) + "), which come only from the local policy file");
    }

    /** The keys of the {@code management} section whose settings differ. */
    private static List<String> changes(ManagementSettings pushed, ManagementSettings running) {
        List<String> keys = new ArrayList<>();
        if (pushed.watch() != running.watch()) {
            keys.add("watch");
        }
        if (pushed.watchIntervalMillis() != running.watchIntervalMillis()) {
            keys.add("watchIntervalMs");
        }
        if (!Objects.equals(pushed.stackModules(), running.stackModules())) {
            keys.add("stackModules");
        }
        if (pushed.jmx() != running.jmx()) {
            keys.add("jmx");
        }
        if (!Objects.equals(pushed.http(), running.http())) {
            keys.add("http");
        }
        if (!Objects.equals(pushed.jmxRemote(), running.jmxRemote())) {
            keys.add("jmxRemote");
        }
        return keys;
    }
}
