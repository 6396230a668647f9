package io.dmm.core.config;

import io.dmm.core.policy.Cidr;
import io.dmm.core.policy.RuleMatch;
import io.dmm.core.policy.StackDefinition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns DMM's routing-decision (RD) semantics into ordinary rules, so that one engine decides for
 * both formats. DMM decides, in this order:
 * <ol>
 *   <li>a multicast destination (224.0.0.0/4) goes to the first module that is not the kernel
 *       stack, when there is one;</li>
 *   <li>127.0.0.1 and 0.0.0.0 go to the kernel stack, unless an ip_route names that exact /32;</li>
 *   <li>ip_route subnets match the service address by longest prefix: rules are emitted longest
 *       prefix first, ties in file order, so "first match" is "longest match";</li>
 *   <li>prot_route by socket type (1 = tcp, 2 = udp), in file order;</li>
 *   <li>otherwise default_stack_name (the policy's default route, not a rule).</li>
 * </ol>
 * The "kernel stack" is the stack named {@code kernel}, else the first stack of type kernel; with
 * neither, step 2 is left out.
 */
final class DmmRuleCompiler {
    private static final String KERNEL = "kernel";

    private DmmRuleCompiler() {
    }

    /**
     * @param stacks every stack of the policy by name (DMM's modules are among them)
     */
    static List<RuleDraft> compile(DmmConfig dmm, Map<String, StackDefinition> stacks) {
        Map<String, String> planes = planeNames(stacks);
        List<RuleDraft> rules = new ArrayList<>();
        String builtIn = dmm.rdFile() + ": DMM built-in";

        dmm.modules().stream().filter(m -> !m.stackName().equals(KERNEL)).findFirst().ifPresent(m ->
                rules.add(new RuleDraft("DMM multicast", dstOnly("224.0.0.0/4"), List.of(m.stackName()),
                        builtIn)));

        String kernel = kernelStack(stacks);
        if (kernel != null) {
            for (String host : List.of("127.0.0.1/32", "0.0.0.0/32")) {
                Cidr c = Cidr.parse(host);
                boolean named = dmm.ipRoutes().stream().anyMatch(r -> r.subnet().equals(c));
                if (!named) {
                    rules.add(new RuleDraft("DMM " + host.substring(0, host.indexOf('/')) + " to kernel",
                            dstOnly(host), List.of(kernel), builtIn));
                }
            }
        }

        List<DmmConfig.IpRoute> byPrefix = new ArrayList<>(dmm.ipRoutes());
        // List.sort is stable: equal prefix lengths stay in file order.
        byPrefix.sort(Comparator.comparingInt((DmmConfig.IpRoute r) -> r.subnet().prefixLength()).reversed());
        for (DmmConfig.IpRoute r : byPrefix) {
            rules.add(new RuleDraft(null, RuleMatch.builder().dst(List.of(r.subnet())).build(),
                    List.of(resolve(r.target(), planes)), r.entry().file() + ":" + r.entry().line()));
        }
        for (DmmConfig.ProtRoute r : dmm.protRoutes()) {
            rules.add(new RuleDraft(null, RuleMatch.builder().proto(r.protocol()).build(),
                    List.of(resolve(r.target(), planes)), r.entry().file() + ":" + r.entry().line()));
        }
        return rules;
    }

    private static RuleMatch dstOnly(String cidr) {
        return RuleMatch.builder().dst(List.of(Cidr.parse(cidr))).build();
    }

    static String kernelStack(Map<String, StackDefinition> stacks) {
        if (stacks.containsKey(KERNEL)) {
            return KERNEL;
        }
        return stacks.values().stream().filter(s -> s.type().equals(KERNEL)).map(StackDefinition::name)
                .findFirst().orElse(null);
    }

    /**
     * DMM names planes {@code nstack-<stack>}, except vpp_hoststack whose plane is nstack-vpp.
     * Every stack can be referred to by its name or its plane name.
     */
    static Map<String, String> planeNames(Map<String, StackDefinition> stacks) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String name : stacks.keySet()) {
            m.put(planeName(name), name);
        }
        for (String name : stacks.keySet()) {
            m.put(name, name);
        }
        return m;
    }

    static String planeName(String stackName) {
        return "nstack-" + (stackName.equals("vpp_hoststack") ? "vpp" : stackName);
    }

    /** DMM's plane name or a stack name, as the stack it refers to. */
    static String resolve(LocatedValue ref, Map<String, String> planes) {
        String s = JsonValues.requireString(ref, "a stack or DMM plane name such as \"nstack-kernel\"");
        String stack = planes.get(s);
        if (stack == null) {
            List<String> defined = new ArrayList<>();
            planes.forEach((plane, name) -> {
                if (!plane.equals(name)) {
                    defined.add(name + " (" + plane + ")");
                }
            });
            String suggestion = DidYouMean.suggest(s, planes.keySet());
            throw ConfigProblems.at(ref, ref.render() + " is not a defined stack or DMM plane name"
                    + (suggestion == null ? "" : "; did you mean \"" + suggestion + "\"?")
                    + " (defined: " + String.join(", ", defined) + ")");
        }
        return stack;
    }
}
