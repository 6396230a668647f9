package io.dmm.cli;

import io.dmm.api.DmmConfigException;
import io.dmm.core.config.PolicyLoader;
import io.dmm.core.policy.Policy;
import io.dmm.core.policy.StackDefinition;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code dmm check FILE}: validates a policy file with the loader the JVM uses — the same located
 * errors a start-up or a reload gives — without building any stack. Settings that only a stack
 * type understands (a kernel stack's options, a userspace stack's device) are checked when the
 * instance is built, i.e. by the JVM at start-up or reload.
 */
final class CheckCommand implements Command {
    @Override
    public String usage() {
        return "check FILE";
    }

    @Override
    public int run(Args args, Output out) throws CliFailure {
        args.expect(1, 1, usage());
        Path file = Path.of(args.get(0));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("file", file.toString());
        Policy policy;
        try {
            policy = PolicyLoader.load(file);
        } catch (DmmConfigException e) {
            if (!out.json()) {
                throw CliFailure.failed(e.getMessage());
            }
            result.put("valid", false);
            result.put("error", e.getMessage());
            result.put("line", e.line());
            result.put("column", e.column());
            result.put("path", e.path());
            out.json(result);
            return Exit.FAILED;
        }
        List<String> stacks = policy.stacks().stream().map(StackDefinition::name).toList();
        result.put("valid", true);
        result.put("stacks", stacks);
        result.put("rules", policy.rules().size());
        result.put("default", policy.defaultRoute().stacks());
        if (out.json()) {
            out.json(result);
        } else {
            out.line(file + ": valid: " + stacks.size() + " stack" + (stacks.size() == 1 ? "" : "s") + " ("
                    + String.join(", ", stacks) + "), " + policy.rules().size() + " rule"
                    + (policy.rules().size() == 1 ? "" : "s") + ", default -> "
                    + String.join(", ", policy.defaultRoute().stacks()));
        }
        return Exit.OK;
    }
}
