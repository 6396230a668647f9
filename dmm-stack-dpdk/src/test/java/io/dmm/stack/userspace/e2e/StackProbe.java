package io.dmm.stack.userspace.e2e;

import io.dmm.api.spi.StackInstance;
import io.dmm.stack.userspace.UserspaceStack;
import java.lang.management.ManagementFactory;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/** What the leak checks measure: TCP's tables and the JVM's native memory. */
final class StackProbe {
    private static final Pattern NMT_OTHER = Pattern.compile("-\\s+Other \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)");

    private StackProbe() {}

    /** Connections in the instance's table, TIME_WAIT included. */
    static int tcpTableSize(StackInstance instance) {
        UserspaceStack stack = (UserspaceStack) instance;
        stack.lock().lock();
        try {
            return stack.tcp().tableSize();
        } finally {
            stack.lock().unlock();
        }
    }

    /**
     * Committed native memory of NMT's "Other" category, in KiB: where {@code Unsafe.allocateMemory},
     * and so every FFM {@code Arena.allocate} (TCP buffers, device arenas), is accounted. Needs the
     * JVM to run with {@code -XX:NativeMemoryTracking=summary} (this module's surefire argLine).
     */
    static long nativeOtherCommittedKiB() {
        String out;
        try {
            out = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
                    new Object[] {new String[] {"summary"}}, new String[] {String[].class.getName()});
        } catch (Exception e) {
            throw new AssertionError("cannot run the VM.native_memory diagnostic command", e);
        }
        Matcher m = NMT_OTHER.matcher(out);
        if (!m.find()) {
            throw new AssertionError("no \"Other\" category in the NMT summary (is -XX:NativeMemoryTracking=summary set?): "
                    + out.substring(0, Math.min(400, out.length())));
        }
        return Long.parseLong(m.group(2));
    }

    /** Heap in use after a full collection, in bytes (System.gc twice: a hint the default G1 honours). */
    static long heapAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
