package io.dmm.core.config;

import io.dmm.core.policy.CompiledPolicy;
import io.dmm.core.policy.ManagementSettings;
import io.dmm.core.policy.Route;
import io.dmm.core.policy.Rule;
import io.dmm.core.policy.StackDefinition;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Turns a parsed configuration file into a {@link CompiledPolicy}: either our own format (stacks,
 * default, rules, and optionally a {@code dmm} section referring to FD.io DMM's files) or a DMM
 * module_config.json with its rd_config.json beside it. Nothing is built until everything has been
 * validated, so a policy either loads completely or not at all.
 */
final class PolicyReader {
    static final List<String> TOP_LEVEL_KEYS = List.of("stacks", "default", "rules", "dmm", "management");
    private static final List<String> DMM_SECTION_KEYS = List.of("module_config", "rd_config");
    static final String RD_CONFIG_FILE = "rd_config.json";

    private final int cacheCapacity;

    PolicyReader(int cacheCapacity) {
        this.cacheCapacity = cacheCapacity;
    }

    /**
     * @param root    the parsed file
     * @param baseDir where relative file references in it are resolved (its directory), or null
     */
    CompiledPolicy read(LocatedValue root, Path baseDir) {
        JsonValues.requireObject(root, "a policy object {\"stacks\": [...], \"default\": ..., \"rules\": [...]}");
        if (DmmConfigReader.isModuleConfig(root)) {
            return readDmm(root, baseDir);
        }
        if (DmmConfigReader.isRdConfig(root)) {
            throw ConfigProblems.at(root, "this is a DMM rd_config.json; load the module_config.json beside it "
                    + "(or refer to both from a policy's \"dmm\" section)");
        }
        ConfigProblems.allowOnly(root, TOP_LEVEL_KEYS);
        Map<String, StackDefinition> stacks = StackReader.read(JsonValues.requireMember(root, "stacks",
                "a non-empty list of stack instances, e.g. [{\"name\": \"kernel\", \"type\": \"kernel\"}]"));
        DmmConfig dmm = null;
        LocatedValue dmmSection = root.member("dmm");
        if (dmmSection != null) {
            dmm = readDmmSection(dmmSection, baseDir);
            addDmmOnlyStacks(dmm, stacks);
        }
        String defaultStack = defaultStack(root.member("default"), dmm, stacks);

        List<RuleDraft> drafts = new ArrayList<>();
        LocatedValue rules = root.member("rules");
        if (rules != null) {
            RuleReader reader = new RuleReader(new LinkedHashSet<>(stacks.keySet()));
            for (LocatedValue r : JsonValues.requireList(rules, "a list of rule objects", false)) {
                drafts.add(reader.read(r));
            }
        }
        if (dmm != null) {
            drafts.addAll(DmmRuleCompiler.compile(dmm, stacks));
        }
        ManagementSettings management = ManagementReader.read(root.member("management"), baseDir);
        return build(root.file(), stacks, drafts, defaultStack, management);
    }

    /** A module_config.json loaded directly: every module becomes a stack of the same-named type. */
    private CompiledPolicy readDmm(LocatedValue moduleRoot, Path baseDir) {
        Path rd = PolicyFiles.resolve(baseDir, RD_CONFIG_FILE);
        DmmConfig dmm = DmmConfigReader.read(moduleRoot, rd);
        Map<String, StackDefinition> stacks = new LinkedHashMap<>();
        addDmmOnlyStacks(dmm, stacks);
        String defaultStack = defaultStack(null, dmm, stacks);
        return build(moduleRoot.file(), stacks, DmmRuleCompiler.compile(dmm, stacks), defaultStack,
                ManagementSettings.DEFAULTS);
    }

    private static DmmConfig readDmmSection(LocatedValue section, Path baseDir) {
        JsonValues.requireObject(section, "an object {\"module_config\": FILE, \"rd_config\": FILE}");
        ConfigProblems.allowOnly(section, DMM_SECTION_KEYS);
        LocatedValue mc = JsonValues.requireMember(section, "module_config", "the path of DMM's module_config.json");
        Path moduleFile = PolicyFiles.resolve(baseDir, JsonValues.requireString(mc, "a file path"));
        LocatedValue rc = section.member("rd_config");
        Path rdFile = rc == null
                ? PolicyFiles.resolve(moduleFile.getParent(), RD_CONFIG_FILE)
                : PolicyFiles.resolve(baseDir, JsonValues.requireString(rc, "a file path"));
        LocatedValue moduleRoot = PolicyFiles.parseFile(moduleFile, "DMM module_config");
        if (!DmmConfigReader.isModuleConfig(moduleRoot)) {
            throw ConfigProblems.at(moduleRoot, "not a DMM module_config.json: it has no \"module_list\"");
        }
        return DmmConfigReader.read(moduleRoot, rdFile);
    }

    /**
     * DMM modules not declared in {@code stacks} become instances of the type named like the module
     * (stack_name "kernel": type "kernel"), with no settings of their own.
     */
    private static void addDmmOnlyStacks(DmmConfig dmm, Map<String, StackDefinition> stacks) {
        for (DmmConfig.Module m : dmm.modules()) {
            if (!stacks.containsKey(m.stackName())) {
                Map<String, String> entry = new LinkedHashMap<>();
                entry.put("name", m.stackName());
                entry.put("type", m.stackName());
                LocatedValue settings = LocatedValue.syntheticObject(m.entry(), m.entry().path(), entry);
                stacks.put(m.stackName(), new StackDefinition(m.stackName(), m.stackName(),
                        new LocatedStackSettings(settings, m.stackName(), m.stackName(), true),
                        m.entry().file() + ":" + m.entry().line()));
            }
        }
    }

    /** Ours if given, else DMM's default_stack_name, else the first declared stack. */
    private static String defaultStack(LocatedValue ours, DmmConfig dmm, Map<String, StackDefinition> stacks) {
        LocatedValue v = ours != null ? ours : dmm != null ? dmm.defaultStackName() : null;
        if (v == null) {
            return stacks.keySet().iterator().next();
        }
        String name = JsonValues.requireString(v, "a stack name");
        if (!stacks.containsKey(name)) {
            throw ConfigProblems.at(v, ConfigProblems.undefinedStack(name, stacks.keySet()));
        }
        return name;
    }

    private CompiledPolicy build(String origin, Map<String, StackDefinition> stacks, List<RuleDraft> drafts,
                                 String defaultStack, ManagementSettings management) {
        List<Rule> rules = new ArrayList<>(drafts.size());
        for (RuleDraft d : drafts) {
            rules.add(Rule.of(rules.size(), d.name(), d.match(), d.stacks(), d.source()));
        }
        Route defaultRoute = new Route(-1, origin + ": default", List.of(defaultStack), "default -> " + defaultStack);
        return new CompiledPolicy(origin, List.copyOf(stacks.values()), rules, defaultRoute, cacheCapacity)
                .withManagement(management);
    }

    /** The built-in default: one kernel stack, no rules. */
    CompiledPolicy builtInDefault() {
        String origin = "<built-in default>";
        LocatedValue at = new LocatedValue(LocatedValue.Kind.OBJECT, null, Map.of(), null, origin, "stacks[0]",
                0, 0, 0, 0);
        Map<String, String> entry = new LinkedHashMap<>();
        entry.put("name", "kernel");
        entry.put("type", "kernel");
        LocatedValue settings = LocatedValue.syntheticObject(at, "stacks[0]", entry);
        Map<String, StackDefinition> stacks = new LinkedHashMap<>();
        stacks.put("kernel", new StackDefinition("kernel", "kernel",
                new LocatedStackSettings(settings, "kernel", "kernel", true), origin));
        return build(origin, stacks, List.of(), "kernel", ManagementSettings.DEFAULTS);
    }
}
