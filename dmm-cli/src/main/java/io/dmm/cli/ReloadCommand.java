package io.dmm.cli;

import io.dmm.management.jmx.DmmObjectNames;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code dmm reload PID}: the JVM reads its policy file again. A file that does not validate is
 * rejected with its located error (exit 1) and the running version stays.
 */
final class ReloadCommand implements Command {
    @Override
    public String usage() {
        return "reload PID";
    }

    @Override
    public int run(Args args, Output out) throws CliFailure {
        args.expect(1, 1, usage());
        try (DmmJvm jvm = DmmJvm.connect(args.get(0))) {
            try {
                jvm.invoke(DmmObjectNames.POLICY, "reload", new Object[0], new String[0]);
            } catch (CliFailure e) {
                if (e.exitCode() != Exit.FAILED) {
                    throw e;
                }
                long stays = (Long) jvm.attribute(DmmObjectNames.POLICY, "Version");
                if (out.json()) {
                    out.json(result(false, stays, e.getMessage(), null));
                    return Exit.FAILED;
                }
                throw CliFailure.failed("JVM " + jvm.pid() + " rejected the reload; policy v" + stays
                        + " stays in force: " + e.getMessage());
            }
            Map<String, Object> status = StatusCommand.read(jvm);
            if (out.json()) {
                out.json(result(true, (Long) status.get("version"), "", status));
            } else {
                out.line("policy v" + status.get("version") + " applied from " + status.get("origin") + ": "
                        + status.get("stacks") + " stacks, " + status.get("rules") + " rules");
            }
            return Exit.OK;
        }
    }

    private static Map<String, Object> result(boolean applied, long version, String error, Map<String, Object> status) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("applied", applied);
        m.put("version", version);
        m.put("error", error);
        m.put("status", status);
        return m;
    }
}
