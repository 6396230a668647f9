package io.dmm.benchmarks;

import io.dmm.api.Protocol;
import io.dmm.api.Role;
import io.dmm.core.policy.RouteKey;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Builds large policies for the decision benchmark, deterministically from a seed: mostly
 * per-subnet routes (IPv4 /16–/32, IPv6 /48–/128 inside 2001:db8::/32), some narrowed by protocol,
 * role and port; port-only rules; QoS and source-subnet rules. And keys that half hit a random
 * rule's subnet and ports, half are random (falling through to broad rules or the default).
 *
 * <p>{@link AddressSpace} says where the IPv4 prefixes go: spread over the unicast space as in a
 * routing table (the number of rules covering one address stays about the same as rules are
 * added), or all inside 10.0.0.0/8, where at 100,000 rules every address is covered by dozens of
 * overlapping prefixes — a worst case for any first-match classifier.
 */
public final class RuleSetGenerator {
    private static final String[] ROLES = {"client", "server", "sender", "receiver"};

    /** Where generated IPv4 prefixes and keys lie. */
    public enum AddressSpace {
        /** 1.0.0.0 – 223.255.255.255: routing-table-like. */
        SPREAD,
        /** 10.0.0.0/8 only: overlap grows with the number of rules. */
        DENSE
    }

    private final SplittableRandom random;
    private final AddressSpace space;
    private final List<int[]> v4Rules = new ArrayList<>(); // {address, prefixLength, portLo, portHi}

    RuleSetGenerator(long seed, AddressSpace space) {
        this.random = new SplittableRandom(seed);
        this.space = space;
    }

    /** A random IPv4 address of the address space. */
    private int v4Address() {
        return space == AddressSpace.DENSE ? 0x0A000000 | random.nextInt(1 << 24)
                : (1 + random.nextInt(223)) << 24 | random.nextInt(1 << 24);
    }

    /** Policy JSON with {@code rules} rules over three kernel stacks. */
    String policyJson(int rules) {
        StringBuilder sb = new StringBuilder(rules * 96);
        sb.append("{\n\"stacks\": [{\"name\": \"kernel\", \"type\": \"kernel\"},")
          .append(" {\"name\": \"a\", \"type\": \"kernel\"}, {\"name\": \"b\", \"type\": \"kernel\"}],\n")
          .append("\"default\": \"kernel\",\n\"rules\": [\n");
        for (int i = 0; i < rules; i++) {
            if (i > 0) {
                sb.append(",\n");
            }
            sb.append('{');
            int kind = random.nextInt(100);
            if (kind < 70) {
                v4Rule(sb);
            } else if (kind < 80) {
                v6Rule(sb);
            } else if (kind < 90) {
                String role = ROLES[random.nextInt(ROLES.length)];
                sb.append("\"role\": \"").append(role).append("\", ");
                port(sb, null);
            } else if (kind < 95) {
                sb.append("\"qos\": \"q").append(random.nextInt(100)).append("\", ");
            } else {
                sb.append("\"src\": \"").append(v4String(v4Address()))
                  .append('/').append(16 + random.nextInt(17)).append("\", ");
            }
            sb.append("\"stack\": \"").append(random.nextBoolean() ? "a" : "b").append("\"}");
        }
        return sb.append("\n]\n}\n").toString();
    }

    private void v4Rule(StringBuilder sb) {
        int length = 16 + random.nextInt(17);
        int address = v4Address() & (-1 << (32 - length));
        sb.append("\"dst\": \"").append(v4String(address)).append('/').append(length).append("\", ");
        int[] ports = {0, 65535};
        int shape = random.nextInt(4);
        if (shape == 1) {
            sb.append("\"proto\": \"tcp\", \"role\": \"client\", ");
            port(sb, ports);
        } else if (shape == 2) {
            sb.append("\"proto\": \"udp\", ");
            port(sb, ports);
        }
        v4Rules.add(new int[] {address, length, ports[0], ports[1]});
    }

    private void v6Rule(StringBuilder sb) {
        int length = 48 + random.nextInt(81);
        sb.append("\"dst\": \"2001:db8:").append(Integer.toHexString(random.nextInt(1 << 16))).append(':')
          .append(Integer.toHexString(random.nextInt(1 << 16))).append("::/").append(length).append("\", ");
    }

    private void port(StringBuilder sb, int[] out) {
        if (random.nextBoolean()) {
            int p = 1024 + random.nextInt(60000);
            sb.append("\"port\": ").append(p).append(", ");
            if (out != null) {
                out[0] = p;
                out[1] = p;
            }
        } else {
            int lo = 1024 + random.nextInt(60000);
            int hi = lo + random.nextInt(200);
            sb.append("\"port\": \"").append(lo).append('-').append(hi).append("\", ");
            if (out != null) {
                out[0] = lo;
                out[1] = hi;
            }
        }
    }

    /** {@code count} keys: half inside a generated IPv4 rule's subnet and ports, half random. */
    RouteKey[] keys(int count) throws UnknownHostException {
        RouteKey[] keys = new RouteKey[count];
        for (int i = 0; i < count; i++) {
            int address;
            int port;
            if (!v4Rules.isEmpty() && random.nextBoolean()) {
                int[] r = v4Rules.get(random.nextInt(v4Rules.size()));
                int hostBits = 32 - r[1];
                address = r[0] | (hostBits == 0 ? 0 : random.nextInt() & ((1 << hostBits) - 1));
                port = r[2] + random.nextInt(r[3] - r[2] + 1);
            } else {
                address = v4Address();
                port = 1 + random.nextInt(65535);
            }
            boolean tcp = random.nextBoolean();
            Role role = tcp ? (random.nextBoolean() ? Role.CLIENT : Role.SERVER)
                    : (random.nextBoolean() ? Role.SENDER : Role.RECEIVER);
            String qos = random.nextInt(10) == 0 ? "q" + random.nextInt(100) : null;
            keys[i] = new RouteKey(tcp ? Protocol.TCP : Protocol.UDP, role, v4(address), port,
                    v4(v4Address()), qos, null, null, null);
        }
        return keys;
    }

    private static InetAddress v4(int a) throws UnknownHostException {
        return InetAddress.getByAddress(new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a});
    }

    private static String v4String(int a) {
        return (a >>> 24) + "." + ((a >>> 16) & 255) + "." + ((a >>> 8) & 255) + "." + (a & 255);
    }
}
