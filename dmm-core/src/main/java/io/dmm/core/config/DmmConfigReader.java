package io.dmm.core.config;

import io.dmm.api.Protocol;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads FD.io DMM's configuration files as they are (comments, trailing commas): module_config.json
 * ({@code default_stack_name}, {@code module_list}) and rd_config.json in either of DMM's layouts —
 * the original one ({@code ip_route} of {@code {subnet, type}}, {@code prot_route} of
 * {@code {proto_type, type}}) and the later FD.io one ({@code modules} of {@code {name, ip_route:
 * [subnet...], type_route, protocol_route: [{value, attr}]}}).
 */
final class DmmConfigReader {
    private static final List<String> MODULE_CONFIG_KEYS = List.of("default_stack_name", "module_list");
    /** The keys DMM's own module entries carry; only stack_name means anything on the JVM. */
    private static final List<String> MODULE_KEYS = List.of("stack_name", "function_name", "libname", "loadtype",
            "deploytype", "maxfd", "minfd", "priorty", "priority", "stackid");
    private static final List<String> RD_KEYS = List.of("ip_route", "prot_route");
    private static final List<String> FDIO_RD_KEYS = List.of("modules");
    private static final List<String> FDIO_MODULE_KEYS = List.of("name", "ip_route", "type_route", "protocol_route");

    private DmmConfigReader() {
    }

    /** True if the parsed file is a DMM module_config.json. */
    static boolean isModuleConfig(LocatedValue root) {
        return root.isObject() && root.member("module_list") != null;
    }

    /** True if the parsed file looks like a DMM rd_config.json (either layout). */
    static boolean isRdConfig(LocatedValue root) {
        return root.isObject() && root.member("stacks") == null && (root.member("ip_route") != null
                || root.member("prot_route") != null || root.member("modules") != null);
    }

    /** Reads module_config (already parsed) and the rd_config file at {@code rdFile}. */
    static DmmConfig read(LocatedValue moduleRoot, Path rdFile) {
        JsonValues.requireObject(moduleRoot, "a DMM module_config object");
        ConfigProblems.allowOnly(moduleRoot, MODULE_CONFIG_KEYS);
        List<DmmConfig.Module> modules = new ArrayList<>();
        Map<String, LocatedValue> seen = new HashMap<>();
        for (LocatedValue entry : JsonValues.requireList(JsonValues.requireMember(moduleRoot, "module_list",
                "DMM's list of stack modules"), "a non-empty list of module objects", true)) {
            JsonValues.requireObject(entry, "a module object with \"stack_name\"");
            ConfigProblems.allowOnly(entry, MODULE_KEYS);
            LocatedValue nameValue = JsonValues.requireMember(entry, "stack_name", "the DMM stack's name");
            String name = StackReader.checkName(nameValue);
            LocatedValue earlier = seen.put(name, nameValue);
            if (earlier != null) {
                throw ConfigProblems.at(nameValue, "duplicate stack_name \"" + name + "\" (first at line "
                        + earlier.line() + ")");
            }
            modules.add(new DmmConfig.Module(name, entry));
        }
        LocatedValue defaultName = moduleRoot.member("default_stack_name");
        if (defaultName != null) {
            JsonValues.requireString(defaultName, "a stack name");
        }
        LocatedValue rd = PolicyFiles.parseFile(rdFile, "DMM rd_config");
        List<DmmConfig.IpRoute> ipRoutes = new ArrayList<>();
        List<DmmConfig.ProtRoute> protRoutes = new ArrayList<>();
        JsonValues.requireObject(rd, "a DMM rd_config object");
        if (rd.member("modules") != null) {
            readFdioLayout(rd, ipRoutes, protRoutes);
        } else {
            readOriginalLayout(rd, ipRoutes, protRoutes);
        }
        return new DmmConfig(moduleRoot.file(), rd.file(), modules, defaultName, ipRoutes, protRoutes);
    }

    private static void readOriginalLayout(LocatedValue rd, List<DmmConfig.IpRoute> ipRoutes,
                                           List<DmmConfig.ProtRoute> protRoutes) {
        ConfigProblems.allowOnly(rd, RD_KEYS);
        LocatedValue ip = rd.member("ip_route");
        if (ip != null) {
            for (LocatedValue e : JsonValues.requireList(ip, "a list of {\"subnet\", \"type\"} objects", false)) {
                JsonValues.requireObject(e, "an object {\"subnet\": CIDR, \"type\": PLANE}");
                ConfigProblems.allowOnly(e, List.of("subnet", "type"));
                LocatedValue subnet = JsonValues.requireMember(e, "subnet", "a CIDR such as \"192.168.1.0/24\"");
                LocatedValue type = JsonValues.requireMember(e, "type", "the DMM plane, e.g. \"nstack-kernel\"");
                ipRoutes.add(new DmmConfig.IpRoute(RuleReader.cidr(subnet), type, e));
            }
        }
        LocatedValue prot = rd.member("prot_route");
        if (prot != null) {
            for (LocatedValue e : JsonValues.requireList(prot, "a list of {\"proto_type\", \"type\"} objects",
                    false)) {
                JsonValues.requireObject(e, "an object {\"proto_type\": \"1\"|\"2\", \"type\": PLANE}");
                ConfigProblems.allowOnly(e, List.of("proto_type", "type"));
                Protocol p = protoType(JsonValues.requireMember(e, "proto_type",
                        "\"1\" (SOCK_STREAM, tcp) or \"2\" (SOCK_DGRAM, udp)"));
                LocatedValue type = JsonValues.requireMember(e, "type", "the DMM plane, e.g. \"nstack-kernel\"");
                protRoutes.add(new DmmConfig.ProtRoute(p, type, e));
            }
        }
    }

    private static void readFdioLayout(LocatedValue rd, List<DmmConfig.IpRoute> ipRoutes,
                                       List<DmmConfig.ProtRoute> protRoutes) {
        ConfigProblems.allowOnly(rd, FDIO_RD_KEYS);
        for (LocatedValue m : JsonValues.requireList(rd.member("modules"), "a list of module route objects",
                false)) {
            JsonValues.requireObject(m, "an object {\"name\", \"ip_route\", \"type_route\", \"protocol_route\"}");
            ConfigProblems.allowOnly(m, FDIO_MODULE_KEYS);
            LocatedValue name = JsonValues.requireMember(m, "name", "the stack (or plane) these routes go to");
            JsonValues.requireString(name, "a stack name");
            LocatedValue ip = m.member("ip_route");
            if (ip != null) {
                for (LocatedValue s : JsonValues.requireList(ip, "a list of CIDR strings", false)) {
                    ipRoutes.add(new DmmConfig.IpRoute(RuleReader.cidr(s), name, s));
                }
            }
            LocatedValue typeRoute = m.member("type_route");
            if (typeRoute != null && !JsonValues.requireList(typeRoute, "a list", false).isEmpty()) {
                throw ConfigProblems.at(typeRoute, "type_route entries are not supported (route by "
                        + "protocol_route or ip_route instead)");
            }
            LocatedValue pr = m.member("protocol_route");
            if (pr != null) {
                for (LocatedValue e : JsonValues.requireList(pr, "a list of {\"value\", \"attr\"} objects", false)) {
                    JsonValues.requireObject(e, "an object {\"value\": \"1\"|\"2\", \"attr\": ...}");
                    ConfigProblems.allowOnly(e, List.of("value", "attr"));
                    Protocol p = protoType(JsonValues.requireMember(e, "value",
                            "\"1\" (SOCK_STREAM, tcp) or \"2\" (SOCK_DGRAM, udp)"));
                    protRoutes.add(new DmmConfig.ProtRoute(p, name, e));
                }
            }
        }
    }

    /** DMM's socket types: "1" is SOCK_STREAM (tcp), "2" is SOCK_DGRAM (udp); strings or numbers. */
    private static Protocol protoType(LocatedValue v) {
        String s = v.isString() ? v.stringValue().strip() : v.isLong() ? Long.toString(v.longValue()) : null;
        if ("1".equals(s)) {
            return Protocol.TCP;
        }
        if ("2".equals(s)) {
            return Protocol.UDP;
        }
        throw ConfigProblems.at(v, "expected \"1\" (SOCK_STREAM, tcp) or \"2\" (SOCK_DGRAM, udp), got " + v.render());
    }
}
