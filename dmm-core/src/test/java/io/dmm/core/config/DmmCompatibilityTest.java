package io.dmm.core.config;

import static io.dmm.core.policy.Keys.key;
import static io.dmm.core.policy.Keys.tcpClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.api.DmmConfigException;
import io.dmm.api.Role;
import io.dmm.core.policy.CompiledPolicy;
import io.dmm.core.policy.Policy;
import io.dmm.core.policy.Route;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DmmCompatibilityTest {
    @TempDir
    Path dir;

    private static String resource(String name) throws IOException {
        try (var in = DmmCompatibilityTest.class.getResourceAsStream("/dmm/" + name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static String modules(String... names) {
        StringBuilder sb = new StringBuilder("{\n  \"default_stack_name\": \"" + names[0] + "\",\n  \"module_list\": [\n");
        for (String n : names) {
            sb.append("    {\"stack_name\": \"").append(n).append("\", \"stackid\": \"0\",},\n");
        }
        return sb.append("  ]\n}\n").toString();
    }

    @Test
    void theRealDmmFilesLoadAsTheyAre() throws IOException {
        Path mc = write("module_config.json", resource("module_config.json"));
        write("rd_config.json", resource("rd_config.json"));
        Policy p = PolicyLoader.load(mc);
        assertEquals(mc.toString(), p.origin());
        assertEquals(1, p.stacks().size());
        assertEquals("kernel", p.stacks().get(0).name());
        assertEquals("kernel", p.stacks().get(0).type());
        assertEquals(mc + ":4", p.stacks().get(0).source());
        assertEquals(List.of("kernel"), p.defaultRoute().stacks());
        // No multicast rule (only the kernel); two loopback/any rules; two subnets; two protocols.
        assertEquals(6, p.rules().size());
        Route subnet = p.route(tcpClient("192.168.1.77", 80));
        assertEquals("{dst=192.168.1.0/24} -> kernel", subnet.description());
        assertEquals(dir.resolve("rd_config.json") + ":3", subnet.source());
        assertEquals("{proto=udp} -> kernel", p.route(key(Role.SENDER, "8.8.8.8", 53)).description());
    }

    @Test
    void dmmSemantics() throws IOException {
        Path mc = write("module_config.json", modules("kernel", "fstack", "vpp_hoststack"));
        write("rd_config.json", """
                {
                  "ip_route": [
                    {"subnet": "10.0.0.0/8", "type": "nstack-fstack"},
                    {"subnet": "10.1.0.0/16", "type": "nstack-vpp"},
                    {"subnet": "10.1.2.0/24", "type": "kernel"},
                    {"subnet": "10.1.0.0/16", "type": "kernel"},
                    {"subnet": "127.0.0.0/8", "type": "fstack"},
                    {"subnet": "0.0.0.0/32", "type": "nstack-vpp"},
                    {"subnet": "224.1.0.0/16", "type": "nstack-kernel"},
                  ],
                  "prot_route": [
                    {"proto_type": "2", "type": "nstack-vpp"},
                    {"proto_type": 1, "type": "nstack-fstack"},
                  ],
                }""");
        Policy p = PolicyLoader.load(mc);
        // Longest prefix wins whatever the file order.
        assertEquals("kernel", stack(p, tcpClient("10.1.2.3", 80)));
        // Equal prefixes: file order.
        assertEquals("vpp_hoststack", stack(p, tcpClient("10.1.9.9", 80)));
        assertEquals("fstack", stack(p, tcpClient("10.9.9.9", 80)));
        // 127.0.0.1 goes to the kernel even though 127.0.0.0/8 is routed elsewhere...
        assertEquals("kernel", stack(p, tcpClient("127.0.0.1", 80)));
        assertEquals("fstack", stack(p, tcpClient("127.0.0.2", 80)));
        // ...but 0.0.0.0/32 is named exactly, so it is not forced to the kernel.
        assertEquals("vpp_hoststack", stack(p, key(Role.SERVER, "0.0.0.0", 80)));
        // Multicast to the first non-kernel module, before any ip_route.
        assertEquals("fstack", stack(p, key(Role.SENDER, "224.1.2.3", 5000)));
        assertEquals("fstack", stack(p, key(Role.SENDER, "239.255.255.250", 1900)));
        // prot_route, then the default.
        assertEquals("vpp_hoststack", stack(p, key(Role.SENDER, "8.8.8.8", 53)));
        assertEquals("fstack", stack(p, tcpClient("8.8.8.8", 443)));
        // Every socket is tcp or udp, so with both prot_routes present the default is never reached.
        assertEquals("fstack", stack(p, key(Role.SERVER, null, -1)));
        assertEquals(List.of("kernel", "fstack", "vpp_hoststack"), p.stacks().stream().map(s -> s.type()).toList());
    }

    @Test
    void defaultStackNameIsTheDefault() throws IOException {
        Path mc = write("module_config.json", modules("fstack", "kernel"));
        write("rd_config.json", "{\"ip_route\": [], \"prot_route\": []}");
        Policy p = PolicyLoader.load(mc);
        assertEquals(List.of("fstack"), p.defaultRoute().stacks());
        assertTrue(p.route(tcpClient("8.8.8.8", 443)).isDefault());
        assertEquals("kernel", stack(p, tcpClient("127.0.0.1", 80)));
        assertEquals("kernel", stack(p, key(Role.SERVER, "0.0.0.0", 80)));
        assertEquals("fstack", stack(p, key(Role.RECEIVER, "230.0.0.1", 80)));
    }

    @Test
    void theLaterFdioLayout() throws IOException {
        Path mc = write("module_config.json", modules("kernel", "rsocket"));
        write("rd_config.json", resource("fdio_rd_config.json").replace("\"name\": \"kernel\"",
                "\"name\": \"nstack-rsocket\""));
        Policy p = PolicyLoader.load(mc);
        assertEquals("rsocket", stack(p, tcpClient("192.168.50.1", 80)));
        assertEquals("kernel", stack(p, tcpClient("192.168.50.2", 80)));
        assertEquals("rsocket", stack(p, key(Role.SENDER, "8.8.8.8", 53)));
    }

    @Test
    void combinedWithOurStacksAndRules() throws IOException {
        Files.createDirectories(dir.resolve("dmm"));
        write("dmm/module_config.json", modules("kernel", "fstack"));
        write("dmm/rd_config.json", """
                {"ip_route": [{"subnet": "10.0.0.0/8", "type": "nstack-fstack"}],
                 "prot_route": [{"proto_type": "2", "type": "nstack-kernel"}]}""");
        Path policy = write("policy.json", """
                {
                  "stacks": [{"name": "kernel", "type": "kernel", "options": {"TCP_NODELAY": true}},
                             {"name": "extra", "type": "kernel"}],
                  "rules": [{"tag": "x", "stack": "extra"}, {"dst": "10.9.0.0/16", "stack": "fstack"}],
                  "dmm": {"module_config": "dmm/module_config.json"}
                }""");
        CompiledPolicy p = (CompiledPolicy) PolicyLoader.load(policy);
        assertEquals(List.of("kernel", "extra", "fstack"), p.stacks().stream().map(s -> s.name()).toList());
        // fstack is not declared by us: an instance of type "fstack" with no settings of its own.
        assertEquals("fstack", p.stack("fstack").type());
        assertEquals(List.of("name", "type"), List.copyOf(p.stack("fstack").settings().keys()));
        assertEquals("module_list[1]", p.stack("fstack").settings().path());
        assertEquals(true, p.stack("kernel").settings().object("options").bool("TCP_NODELAY", false));
        // Our rules come first.
        assertEquals(0, p.route(io.dmm.core.policy.Keys.full(Role.CLIENT, "10.0.0.1", 1, null, null, "x", null,
                null)).index());
        assertEquals("fstack", stack(p, tcpClient("10.0.0.1", 80)));
        assertEquals(1, p.route(tcpClient("10.9.0.1", 80)).index());
        assertEquals("kernel", stack(p, key(Role.SENDER, "8.8.8.8", 53)));
        assertEquals(List.of("kernel"), p.defaultRoute().stacks());
    }

    @Test
    void errorsNameTheDmmFile() throws IOException {
        Path mc = write("module_config.json", modules("kernel"));
        Path rd = write("rd_config.json", "{\n  \"ip_route\": [\n    {\"subnet\": \"10.0.0.0/8\", \"type\": \"nstack-dpdk\"}\n  ]\n}");
        DmmConfigException e = assertThrows(DmmConfigException.class, () -> PolicyLoader.load(mc));
        assertEquals(rd + ":3:38: ip_route[0].type: \"nstack-dpdk\" is not a defined stack or DMM plane name "
                + "(defined: kernel (nstack-kernel))", e.getMessage());

        Files.writeString(rd, "{\"prot_route\": [{\"proto_type\": \"6\", \"type\": \"kernel\"}]}");
        assertEquals(rd + ":1:32: prot_route[0].proto_type: expected \"1\" (SOCK_STREAM, tcp) or \"2\" "
                + "(SOCK_DGRAM, udp), got \"6\"", message(mc));

        Files.writeString(rd, "{\"ip_route\": [{\"subnet\": \"10.0.0.0/40\", \"type\": \"kernel\"}]}");
        assertEquals(rd + ":1:26: ip_route[0].subnet: \"10.0.0.0/40\" is not a CIDR: prefix length must be 0..32",
                message(mc));

        Files.writeString(rd, "{\"ip_routes\": []}");
        assertEquals(rd + ":1:2: ip_routes: unknown key \"ip_routes\"; did you mean \"ip_route\"? "
                + "(allowed: ip_route, prot_route)", message(mc));

        Files.writeString(rd, "{\"modules\": [{\"name\": \"kernel\", \"type_route\": [\"1\"]}]}");
        assertEquals(rd + ":1:47: modules[0].type_route: type_route entries are not supported (route by "
                + "protocol_route or ip_route instead)", message(mc));

        Files.delete(rd);
        assertEquals(rd + ": DMM rd_config file not found: " + rd.toAbsolutePath(), message(mc));

        Files.writeString(mc, "{\"default_stack_name\": \"fstack\", \"module_list\": [{\"stack_name\": \"kernel\"}]}");
        Files.writeString(rd, "{}");
        assertEquals(mc + ":1:24: default_stack_name: \"fstack\" is not a defined stack (defined: kernel)",
                message(mc));

        Files.writeString(mc, "{\"module_list\": [{\"stack_name\": \"kernel\", \"libnme\": \"./\"}]}");
        assertEquals(mc + ":1:43: module_list[0].libnme: unknown key \"libnme\"; did you mean \"libname\"? "
                + "(allowed: stack_name, function_name, libname, loadtype, deploytype, maxfd, minfd, priorty, "
                + "priority, stackid)", message(mc));

        Files.writeString(mc, "{\"module_list\": [{\"stack_name\": \"kernel\"}, {\"stack_name\": \"kernel\"}]}");
        assertEquals(mc + ":1:59: module_list[1].stack_name: duplicate stack_name \"kernel\" (first at line 1)",
                message(mc));

        Files.writeString(mc, "{\"module_list\": []}");
        assertEquals(mc + ":1:17: module_list: expected a non-empty list of module objects, got an empty list",
                message(mc));
    }

    @Test
    void rdConfigAloneIsRejectedWithAHint() throws IOException {
        Path rd = write("rd_config.json", resource("rd_config.json"));
        assertEquals(rd + ":1:1: this is a DMM rd_config.json; load the module_config.json beside it (or refer "
                + "to both from a policy's \"dmm\" section)", message(rd));
    }

    @Test
    void combinedModeErrors() throws IOException {
        Path policy = write("policy.json", "{\"stacks\": [{\"name\": \"kernel\", \"type\": \"kernel\"}],\n"
                + " \"dmm\": {\"module_config\": \"missing/module_config.json\"}}");
        Path missing = dir.resolve("missing/module_config.json");
        assertEquals(missing + ": DMM module_config file not found: " + missing.toAbsolutePath(), message(policy));

        write("other.json", "{\"stacks\": [{\"name\": \"x\", \"type\": \"kernel\"}]}");
        Files.writeString(policy, "{\"stacks\": [{\"name\": \"kernel\", \"type\": \"kernel\"}],\n"
                + " \"dmm\": {\"module_config\": \"other.json\"}}");
        assertEquals(dir.resolve("other.json") + ":1:1: not a DMM module_config.json: it has no \"module_list\"",
                message(policy));
    }

    private static String message(Path file) {
        return assertThrows(DmmConfigException.class, () -> PolicyLoader.load(file)).getMessage();
    }

    private static String stack(Policy p, io.dmm.core.policy.RouteKey k) {
        return p.route(k).stacks().get(0);
    }
}
