package io.dmm.cli;

import io.dmm.management.jmx.DmmObjectNames;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.management.ObjectName;

/**
 * {@code dmm drain PID STACK} / {@code dmm undrain PID STACK}: stop or resume routing new sockets to
 * a stack instance; its open sockets keep working either way.
 */
final class DrainCommand implements Command {
    private final boolean drain;

    DrainCommand(boolean drain) {
        this.drain = drain;
    }

    private String operation() {
        return drain ? "drain" : "undrain";
    }

    @Override
    public String usage() {
        return operation() + " PID STACK";
    }

    @Override
    public int run(Args args, Output out) throws CliFailure {
        args.expect(2, 2, usage());
        String stack = args.get(1);
        try (DmmJvm jvm = DmmJvm.connect(args.get(0))) {
            ObjectName name = DmmObjectNames.stack(stack);
            if (!jvm.isRegistered(name)) {
                String[] known = (String[]) jvm.attribute(DmmObjectNames.POLICY, "StackNames");
                throw CliFailure.failed("JVM " + jvm.pid() + " has no stack instance \"" + stack + "\"; it has: "
                        + String.join(", ", Arrays.asList(known)));
            }
            jvm.invoke(name, operation(), new Object[0], new String[0]);
            Map<String, Object> a = jvm.attributes(name, "Admin", "SocketsActive");
            if (out.json()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("stack", stack);
                m.put("admin", a.get("Admin"));
                m.put("socketsActive", a.get("SocketsActive"));
                out.json(m);
            } else {
                long open = (Long) a.get("SocketsActive");
                out.line(stack + ": " + a.get("Admin") + (drain
                        ? "; no new sockets, its " + open + " open socket" + (open == 1 ? "" : "s") + " keep working"
                        : "; takes new sockets again"));
            }
        }
        return Exit.OK;
    }
}
