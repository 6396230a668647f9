package io.dmm.core.config;

import io.dmm.api.DmmConfigException;
import io.dmm.core.policy.CompiledPolicy;
import io.dmm.core.policy.Route;
import io.dmm.core.policy.Rule;
import io.dmm.core.policy.StackDefinition;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Edits of a running policy made through the runtime API (add, replace and remove rules; add and
 * remove stacks). Each edit returns a complete new policy, validated with the very readers a policy
 * file goes through, so an edit fails with the same located errors; the policy it started from is
 * never changed. Rule and stack text is JSON in the policy file's format, parsed under the name
 * {@code origin} (which locates its errors, e.g. {@code <runtime API: addRule>:1:12}).
 */
public final class PolicyEdits {
    private PolicyEdits() {
    }

    /** {@code policy} with a rule inserted before {@code position} (-1 or the rule count: appended). */
    public static CompiledPolicy addRule(CompiledPolicy policy, int position, String ruleJson, String origin) {
        List<Rule> rules = new ArrayList<>(policy.ruleModel());
        int at = position == -1 ? rules.size() : position;
        if (at < 0 || at > rules.size()) {
            throw new IllegalArgumentException("rule position " + position + " is out of range: the policy has "
                    + rules.size() + " rules (use 0.." + rules.size() + ", or -1 to append)");
        }
        rules.add(at, readRule(policy, ruleJson, origin, at));
        return rebuild(policy, policy.stacks(), rules, origin);
    }

    /** {@code policy} with the rule at {@code index} replaced. */
    public static CompiledPolicy replaceRule(CompiledPolicy policy, int index, String ruleJson, String origin) {
        List<Rule> rules = new ArrayList<>(policy.ruleModel());
        checkIndex(rules, index);
        rules.set(index, readRule(policy, ruleJson, origin, index));
        return rebuild(policy, policy.stacks(), rules, origin);
    }

    /** {@code policy} without the rule at {@code index}. */
    public static CompiledPolicy removeRule(CompiledPolicy policy, int index, String origin) {
        List<Rule> rules = new ArrayList<>(policy.ruleModel());
        checkIndex(rules, index);
        rules.remove(index);
        return rebuild(policy, policy.stacks(), rules, origin);
    }

    /**
     * {@code policy} with one more stack instance (appended to its stacks). The runtime API may not
     * set a local-only setting of its type ({@link LocalOnlyStackSettings}).
     *
     * @param localOnly the local-only settings of the stack types the runtime knows
     */
    public static CompiledPolicy addStack(CompiledPolicy policy, String stackJson, String origin,
                                          LocalOnlySettings localOnly) {
        LocatedValue entry = LocatedJsonParser.parse(stackJson, origin);
        StackDefinition def = StackReader.readOne(entry);
        if (policy.stack(def.name()) != null) {
            throw ConfigProblems.at(entry.member("name"), "duplicate stack name \"" + def.name()
                    + "\": the running policy already has it (declared at " + policy.stack(def.name()).source() + ")");
        }
        LocalOnlyStackSettings.refuseChanges(List.of(def), policy, localOnly);
        List<StackDefinition> stacks = new ArrayList<>(policy.stacks());
        stacks.add(def);
        return rebuild(policy, stacks, policy.ruleModel(), origin);
    }

    /**
     * {@code policy} without the stack {@code name}.
     *
     * @throws IllegalArgumentException when it is unknown, the only stack, or still named by the
     *         default route or a rule (which are listed)
     */
    public static CompiledPolicy removeStack(CompiledPolicy policy, String name, String origin) {
        if (policy.stack(name) == null) {
            throw new IllegalArgumentException("unknown stack \"" + name + "\"; the policy has: "
                    + String.join(", ", stackNames(policy)));
        }
        List<String> users = new ArrayList<>();
        if (policy.defaultRoute().stacks().contains(name)) {
            users.add("the default route");
        }
        for (Rule r : policy.ruleModel()) {
            if (r.route().stacks().contains(name)) {
                users.add("rule #" + r.index() + " (" + r.route().source() + ")");
            }
        }
        if (!users.isEmpty()) {
            throw new IllegalArgumentException("stack \"" + name + "\" is still used by " + String.join(", ", users)
                    + "; change those first");
        }
        List<StackDefinition> stacks = new ArrayList<>(policy.stacks());
        stacks.removeIf(s -> s.name().equals(name));
        return rebuild(policy, stacks, policy.ruleModel(), origin);
    }

    private static Rule readRule(CompiledPolicy policy, String ruleJson, String origin, int index) {
        LocatedValue value = LocatedJsonParser.parse(ruleJson, origin);
        RuleDraft d = new RuleReader(stackNames(policy)).read(value);
        return Rule.of(index, d.name(), d.match(), d.stacks(), d.source());
    }

    private static Set<String> stackNames(CompiledPolicy policy) {
        Set<String> names = new LinkedHashSet<>();
        policy.stacks().forEach(s -> names.add(s.name()));
        return names;
    }

    private static void checkIndex(List<Rule> rules, int index) {
        if (index < 0 || index >= rules.size()) {
            throw new IllegalArgumentException("no rule #" + index + ": the policy has " + rules.size() + " rules"
                    + (rules.isEmpty() ? "" : " (#0..#" + (rules.size() - 1) + ")"));
        }
    }

    /** {@code "policy.json (edited at runtime)"}: where the rules came from, and that they were changed since. */
    static String editedOrigin(String baseOrigin) {
        return baseOrigin.endsWith(EDITED) ? baseOrigin : baseOrigin + EDITED;
    }

    private static final String EDITED = " (edited at runtime)";

    /** A new policy of these stacks and rules (renumbered), keeping the default and the management section. */
    private static CompiledPolicy rebuild(CompiledPolicy base, List<StackDefinition> stacks, List<Rule> rules,
                                          String origin) {
        List<Rule> numbered = new ArrayList<>(rules.size());
        for (Rule r : rules) {
            numbered.add(r.index() == numbered.size() ? r
                    : Rule.of(numbered.size(), r.name(), r.match(), r.route().stacks(), r.route().source()));
        }
        Route d = base.defaultRoute();
        try {
            return new CompiledPolicy(editedOrigin(base.origin()), stacks, numbered, d, base.cacheCapacity())
                    .withManagement(base.management());
        } catch (IllegalArgumentException e) {
            throw new DmmConfigException(origin, 0, 0, "", e.getMessage());
        }
    }
}
