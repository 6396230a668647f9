package io.dmm.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dmm.core.policy.Cidr;
import io.dmm.core.policy.CompiledPolicy;
import io.dmm.core.policy.Keys;
import io.dmm.core.policy.PortSet;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Random values written in the file's forms read back as what they mean. */
class ConfigPropertyTest {
    /** A port written as a number, a "n" string or a "lo-hi" string, with the range it stands for. */
    record PortForm(String json, int lo, int hi) {
    }

    @Provide
    Arbitrary<List<PortForm>> portForms() {
        Arbitrary<Integer> port = Arbitraries.integers().between(0, 65535);
        Arbitrary<PortForm> number = port.map(p -> new PortForm(Integer.toString(p), p, p));
        Arbitrary<PortForm> string = port.map(p -> new PortForm("\"" + p + "\"", p, p));
        Arbitrary<PortForm> range = Combinators.combine(port, Arbitraries.integers().between(0, 300))
                .as((lo, w) -> new PortForm("\"" + lo + "-" + Math.min(65535, lo + w) + "\"", lo,
                        Math.min(65535, lo + w)));
        return Arbitraries.oneOf(number, string, range).list().ofMinSize(1).ofMaxSize(5);
    }

    @Property(tries = 200)
    void portFormsMeanTheirRanges(@ForAll("portForms") List<PortForm> forms,
                                  @ForAll("probes") List<Integer> probes) {
        List<String> parts = forms.stream().map(PortForm::json).toList();
        String value = forms.size() == 1 ? parts.get(0) : "[" + String.join(", ", parts) + "]";
        CompiledPolicy p = (CompiledPolicy) PolicyLoader.parse("{\"stacks\": [{\"name\": \"k\", \"type\": "
                + "\"kernel\"}], \"rules\": [{\"port\": " + value + ", \"stack\": \"k\"}]}", "p.json");
        PortSet set = p.ruleModel().get(0).match().port();
        List<Integer> all = new ArrayList<>(probes);
        forms.forEach(f -> {
            all.add(f.lo());
            all.add(f.hi());
            all.add(Math.max(0, f.lo() - 1));
            all.add(Math.min(65535, f.hi() + 1));
        });
        for (int probe : all) {
            boolean expected = forms.stream().anyMatch(f -> f.lo() <= probe && probe <= f.hi());
            assertEquals(expected, set.contains(probe), "port " + probe + " in " + value);
            assertEquals(expected ? 0 : -1, p.route(Keys.tcpClient("10.0.0.1", probe)).index());
        }
    }

    @Provide
    Arbitrary<List<Integer>> probes() {
        return Arbitraries.integers().between(0, 65535).list().ofMaxSize(20);
    }

    @Provide
    Arbitrary<Cidr> cidrs() {
        Arbitrary<Cidr> v4 = Combinators.combine(Arbitraries.integers().between(0, 255).list().ofSize(4),
                        Arbitraries.integers().between(0, 32))
                .as((b, n) -> Cidr.parse(b.get(0) + "." + b.get(1) + "." + b.get(2) + "." + b.get(3) + "/" + n));
        Arbitrary<Cidr> v6 = Combinators.combine(Arbitraries.integers().between(0, 0xffff).list().ofSize(8),
                        Arbitraries.integers().between(0, 128))
                .as((g, n) -> Cidr.parse(String.join(":", g.stream().map(Integer::toHexString).toList()) + "/" + n));
        return Arbitraries.oneOf(v4, v6);
    }

    @Property(tries = 300)
    void cidrsReadBackFromTheirCanonicalForm(@ForAll("cidrs") Cidr c) {
        assertEquals(c, Cidr.parse(c.toString()));
        CompiledPolicy p = (CompiledPolicy) PolicyLoader.parse("{\"stacks\": [{\"name\": \"k\", \"type\": "
                + "\"kernel\"}], \"rules\": [{\"dst\": \"" + c + "\", \"stack\": \"k\"}]}", "p.json");
        assertEquals(List.of(c), p.ruleModel().get(0).match().dst());
    }
}
