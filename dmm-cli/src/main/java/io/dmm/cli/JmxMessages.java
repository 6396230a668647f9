package io.dmm.cli;

import javax.management.MBeanException;
import javax.management.ReflectionException;
import javax.management.RuntimeErrorException;
import javax.management.RuntimeMBeanException;
import javax.management.RuntimeOperationsException;

/**
 * The message an MBean wrote, out of JMX's wrappers: DMM's MBeans throw
 * IllegalArgumentException or IllegalStateException carrying DMM's exact error (a located
 * {@code file:line:column: path: problem} for a bad policy), which arrive wrapped in
 * RuntimeMBeanException or MBeanException.
 */
final class JmxMessages {
    private JmxMessages() {
    }

    static String of(Throwable e) {
        Throwable t = e;
        for (int depth = 0; depth < 10; depth++) {
            Throwable inner = switch (t) {
                case RuntimeMBeanException r -> r.getTargetException();
                case RuntimeOperationsException r -> r.getTargetException();
                case RuntimeErrorException r -> r.getTargetError();
                case MBeanException m -> m.getTargetException();
                case ReflectionException r -> r.getTargetException();
                default -> null;
            };
            if (inner == null || inner == t) {
                break;
            }
            t = inner;
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
