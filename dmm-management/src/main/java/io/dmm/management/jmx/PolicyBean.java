package io.dmm.management.jmx;

import io.dmm.api.DmmControl;
import io.dmm.api.PolicyStatus;
import io.dmm.api.StackStats;
import java.util.List;

/** {@link PolicyMXBean} over a runtime's {@link DmmControl}. */
final class PolicyBean implements PolicyMXBean {
    private final DmmControl control;

    PolicyBean(DmmControl control) {
        this.control = control;
    }

    private PolicyStatus status() {
        return control.policy();
    }

    private PolicyStatus.Change last() {
        return control.policy().lastChange();
    }

    @Override public long getVersion() { return status().version(); }
    @Override public String getOrigin() { return status().origin(); }

    @Override
    public String getFile() {
        String f = status().file();
        return f == null ? "" : f;
    }

    @Override public String getAppliedAt() { return String.valueOf(status().appliedAt()); }
    @Override public int getRuleCount() { return status().rules(); }
    @Override public int getStackCount() { return status().stacks(); }

    @Override
    public List<String> getStackNames() {
        return control.stats().stacks().stream().map(StackStats::name).toList();
    }

    @Override
    public String getLastChangeAt() {
        PolicyStatus.Change c = last();
        return c == null ? "" : c.at().toString();
    }

    @Override
    public String getLastChangeTrigger() {
        PolicyStatus.Change c = last();
        return c == null ? "" : c.trigger();
    }

    @Override
    public boolean isLastChangeApplied() {
        PolicyStatus.Change c = last();
        return c != null && c.applied();
    }

    @Override
    public long getLastChangeVersion() {
        PolicyStatus.Change c = last();
        return c == null ? 0 : c.version();
    }

    @Override
    public String getLastChangeError() {
        PolicyStatus.Change c = last();
        return c == null ? "" : c.error();
    }

    @Override
    public long reload() {
        return JmxErrors.call(() -> control.reload().version());
    }

    @Override
    public long apply(String policyJson, String origin) {
        return JmxErrors.call(() -> control.apply(policyJson, origin).version());
    }

    @Override
    public long addRule(int position, String ruleJson) {
        return JmxErrors.call(() -> control.addRule(position, ruleJson).version());
    }

    @Override
    public long replaceRule(int index, String ruleJson) {
        return JmxErrors.call(() -> control.replaceRule(index, ruleJson).version());
    }

    @Override
    public long removeRule(int index) {
        return JmxErrors.call(() -> control.removeRule(index).version());
    }

    @Override
    public long addStack(String stackJson) {
        return JmxErrors.call(() -> control.addStack(stackJson).version());
    }

    @Override
    public long removeStack(String name) {
        return JmxErrors.call(() -> control.removeStack(name).version());
    }

    @Override
    public ExplanationView explain(String protocol, String role, String service) {
        return JmxErrors.call(() -> ExplanationView.of(control.explain(RouteQueryText.parse(protocol, role, service))));
    }

    @Override
    public ExplanationView explain(String protocol, String role, String service, String source, String qos,
                                   String tag, String stack, String app, String caller) {
        return JmxErrors.call(() -> ExplanationView.of(control.explain(
                RouteQueryText.parse(protocol, role, service, source, qos, tag, stack, app, caller))));
    }
}
