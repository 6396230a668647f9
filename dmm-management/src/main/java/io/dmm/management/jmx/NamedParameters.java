package io.dmm.management.jmx;

import java.util.List;
import java.util.Map;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.StandardMBean;

/**
 * An MXBean whose operation parameters carry their names ({@code position}, {@code ruleJson}...)
 * instead of {@code p0}, {@code p1}: JMX cannot learn them from the interface, and jconsole shows
 * them as labels of its operation buttons.
 */
final class NamedParameters extends StandardMBean {
    /** Parameter names by {@code operation/arity}, e.g. {@code "addRule/2"}. */
    private final Map<String, List<String>> names;

    <T> NamedParameters(T implementation, Class<T> mxbeanInterface, Map<String, List<String>> names) {
        super(implementation, mxbeanInterface, true);
        this.names = Map.copyOf(names);
    }

    @Override
    protected String getParameterName(MBeanOperationInfo op, MBeanParameterInfo param, int sequence) {
        List<String> n = names.get(op.getName() + "/" + op.getSignature().length);
        return n != null && sequence < n.size() ? n.get(sequence) : super.getParameterName(op, param, sequence);
    }

    /** The Policy MBean's parameter names. */
    static final Map<String, List<String>> POLICY = Map.of(
            "apply/2", List.of("policyJson", "origin"),
            "addRule/2", List.of("position", "ruleJson"),
            "replaceRule/2", List.of("index", "ruleJson"),
            "removeRule/1", List.of("index"),
            "addStack/1", List.of("stackJson"),
            "removeStack/1", List.of("name"),
            "explain/3", List.of("protocol", "role", "service"),
            "explain/9", List.of("protocol", "role", "service", "source", "qos", "tag", "stack", "app", "caller"));
}
