package io.dmm.cli;

import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import io.dmm.management.jmx.DiscoveryProperties;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code dmm ps}: the JVMs of this user that run DMM. Each JVM the Attach API lists is asked for
 * its system properties only — DMM's runtime publishes {@code io.dmm.runtime} — so no JMX agent is
 * started in JVMs that are not DMM's. JVMs are asked in parallel; one that does not answer within
 * a few seconds is left out.
 */
final class PsCommand implements Command {
    private static final long ANSWER_SECONDS = 5;

    @Override
    public String usage() {
        return "ps";
    }

    record Found(long pid, String main, String policy, long version, boolean jmx) {
    }

    @Override
    public int run(Args args, Output out) throws CliFailure {
        args.expect(0, 0, usage());
        List<Found> found = find();
        if (out.json()) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Found f : found) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("pid", f.pid());
                m.put("main", f.main());
                m.put("policy", f.policy());
                m.put("version", f.version());
                m.put("jmx", f.jmx());
                rows.add(m);
            }
            out.json(rows);
        } else {
            TextTable t = new TextTable("PID", "MAIN", "VERSION", "JMX", "POLICY");
            for (Found f : found) {
                t.row(f.pid(), f.main(), f.version(), f.jmx() ? "yes" : "off", f.policy());
            }
            out.table(t);
        }
        return Exit.OK;
    }

    static List<Found> find() {
        long self = ProcessHandle.current().pid();
        List<Future<Found>> answers = new ArrayList<>();
        // not closed with try-with-resources: close() would wait for a JVM that never answers
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        try {
            for (VirtualMachineDescriptor d : VirtualMachine.list()) {
                long pid;
                try {
                    pid = Long.parseLong(d.id());
                } catch (NumberFormatException e) {
                    continue;
                }
                if (pid != self) {
                    answers.add(pool.submit(() -> ask(pid)));
                }
            }
            List<Found> found = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ANSWER_SECONDS);
            for (Future<Found> a : answers) {
                try {
                    Found f = a.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    if (f != null) {
                        found.add(f);
                    }
                } catch (TimeoutException | ExecutionException e) {
                    // a JVM that does not answer (stopped, busy, gone) is not listed
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            found.sort(Comparator.comparingLong(Found::pid));
            return found;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The JVM's DMM properties, or null when it does not run DMM or cannot be asked. */
    private static Found ask(long pid) {
        try {
            Attach.Target t = Attach.inspect(pid, p -> false);
            String policy = t.properties().getProperty(DiscoveryProperties.RUNTIME);
            if (policy == null) {
                return null;
            }
            long version;
            try {
                version = Long.parseLong(t.properties().getProperty(DiscoveryProperties.POLICY_VERSION, "0"));
            } catch (NumberFormatException e) {
                version = 0;
            }
            return new Found(pid, t.main(), policy, version,
                    "true".equals(t.properties().getProperty(DiscoveryProperties.JMX)));
        } catch (CliFailure e) {
            return null;
        }
    }
}
