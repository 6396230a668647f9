package io.dmm.core.runtime;

import io.dmm.api.DmmControl;
import io.dmm.api.DmmStats;
import io.dmm.api.PolicyStatus;
import io.dmm.api.RouteExplanation;
import io.dmm.api.RouteQuery;
import io.dmm.api.SocketInfo;
import io.dmm.core.config.LocalOnlySettings;
import io.dmm.core.config.PolicyEdits;
import io.dmm.core.config.PolicyLoader;
import io.dmm.core.policy.CompiledPolicy;
import io.dmm.core.policy.Policy;
import io.dmm.core.routing.StackHandle;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime API ({@link DmmControl}) of one runtime. Policy changes go through
 * {@link DmmRuntime#change}; rule and stack edits through {@link PolicyEdits}, so they are validated
 * like a policy file; drain and undrain set a stack instance's administrative state.
 */
public final class RuntimeControl implements DmmControl {
    private static final Logger LOG = LoggerFactory.getLogger(RuntimeControl.class);

    private final DmmRuntime runtime;
    private final PolicyFileWatch fileWatch;

    RuntimeControl(DmmRuntime runtime, PolicyFileWatch fileWatch) {
        this.runtime = runtime;
        this.fileWatch = fileWatch;
    }

    @Override
    public PolicyStatus policy() {
        return runtime.status();
    }

    @Override
    public PolicyStatus reload() {
        return fileWatch.reload("reload");
    }

    @Override
    public PolicyStatus apply(String policyJson, String origin) {
        Objects.requireNonNull(policyJson, "policyJson");
        String name = origin == null || origin.isBlank() ? "<pushed policy>" : origin;
        return runtime.change("apply " + name,
                current -> PolicyLoader.parsePushed(policyJson, name, current, localOnlySettings(current)));
    }

    @Override
    public PolicyStatus addRule(int position, String ruleJson) {
        return edit("addRule", p -> PolicyEdits.addRule(p, position, ruleJson, "<runtime API: addRule>"));
    }

    @Override
    public PolicyStatus replaceRule(int index, String ruleJson) {
        return edit("replaceRule #" + index, p -> PolicyEdits.replaceRule(p, index, ruleJson,
                "<runtime API: replaceRule>"));
    }

    @Override
    public PolicyStatus removeRule(int index) {
        return edit("removeRule #" + index, p -> PolicyEdits.removeRule(p, index, "<runtime API: removeRule>"));
    }

    @Override
    public PolicyStatus addStack(String stackJson) {
        return edit("addStack", p -> PolicyEdits.addStack(p, stackJson, "<runtime API: addStack>",
                localOnlySettings(p)));
    }

    @Override
    public PolicyStatus removeStack(String name) {
        return edit("removeStack " + name, p -> PolicyEdits.removeStack(p, name, "<runtime API: removeStack>"));
    }

    /** What the stack types {@code running} can name (its stack modules' too) let only the local policy file set. */
    private LocalOnlySettings localOnlySettings(Policy running) {
        return type -> runtime.registry().localOnlySettings(type, running.management().stackModules());
    }

    private PolicyStatus edit(String trigger, java.util.function.UnaryOperator<CompiledPolicy> edit) {
        return runtime.change(trigger, current -> edit.apply(compiled(current)));
    }

    private static CompiledPolicy compiled(Policy p) {
        if (p instanceof CompiledPolicy c) {
            return c;
        }
        throw new IllegalStateException("the running policy (" + p.origin() + ") cannot be edited rule by rule;"
                + " apply a whole policy instead");
    }

    @Override
    public void drain(String stack) {
        setDraining(stack, true);
    }

    @Override
    public void undrain(String stack) {
        setDraining(stack, false);
    }

    private void setDraining(String name, boolean draining) {
        StackHandle h = runtime.registry().get(name);
        if (h == null) {
            throw new IllegalArgumentException("unknown stack \"" + name + "\"; the policy has: "
                    + String.join(", ", runtime.registry().names()));
        }
        StackHandle.Admin before = h.admin();
        h.setDraining(draining);
        if (before != h.admin()) {
            LOG.info("stack instance {} {}: {}", name, draining ? "draining" : "undrained",
                    draining ? "no new sockets; its " + h.activeSockets() + " open socket(s) keep working"
                            : "takes new sockets again");
        }
    }

    @Override
    public List<SocketInfo> sockets() {
        return runtime.sockets().list();
    }

    @Override
    public DmmStats stats() {
        return runtime.stats();
    }

    @Override
    public RouteExplanation explain(RouteQuery query) {
        return runtime.explain(query);
    }
}
