package io.dmm.management.jmx;

import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/** The object names of DMM's MBeans (see the package documentation). */
public final class DmmObjectNames {
    public static final String DOMAIN = "io.dmm";
    public static final ObjectName POLICY = name(DOMAIN + ":type=Policy");
    public static final ObjectName SOCKETS = name(DOMAIN + ":type=Sockets");
    /** Matches every stack instance's MBean. */
    public static final ObjectName STACKS = name(DOMAIN + ":type=Stack,*");
    /** Matches every rule's MBean, the default route's included. */
    public static final ObjectName RULES = name(DOMAIN + ":type=Rule,*");
    /** The {@code index} key of the default route's MBean. */
    public static final String DEFAULT_RULE_INDEX = "default";

    private DmmObjectNames() {
    }

    /** {@code io.dmm:type=Stack,name=NAME}. */
    public static ObjectName stack(String stackName) {
        return name(DOMAIN + ":type=Stack,name=" + value(stackName));
    }

    /** {@code io.dmm:type=Stack,name=NAME,retiring=N}: a retiring instance whose plain name is taken. */
    public static ObjectName retiringStack(String stackName, long n) {
        return name(DOMAIN + ":type=Stack,name=" + value(stackName) + ",retiring=" + n);
    }

    /** {@code io.dmm:type=Rule,index=N}, or {@code index=default} for a negative index. */
    public static ObjectName rule(int index) {
        return name(DOMAIN + ":type=Rule,index=" + (index < 0 ? DEFAULT_RULE_INDEX : Integer.toString(index)));
    }

    /**
     * A key property value: as it is when it is a plain name, quoted when it holds a character that
     * object names reserve (stack names come from policy files and may hold any).
     */
    static String value(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ',' || c == '=' || c == ':' || c == '"' || c == '*' || c == '?' || c == '\\' || c == '\n') {
                return ObjectName.quote(s);
            }
        }
        return s.isEmpty() ? ObjectName.quote(s) : s;
    }

    private static ObjectName name(String s) {
        try {
            return new ObjectName(s);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("not an object name: " + s, e);
        }
    }
}
