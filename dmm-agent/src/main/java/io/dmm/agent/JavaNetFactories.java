package io.dmm.agent;

import java.lang.reflect.InvocationTargetException;

/**
 * Routes {@code java.net.Socket}/{@code ServerSocket} too, when this build of DMM has the java.net
 * factories ({@code io.dmm.core.net.DmmSocketFactories.install()}). Looked up by name so that the
 * agent also builds and runs with a dmm-core that does not have them: then only NIO is routed.
 */
final class JavaNetFactories {
    static final String CLASS = "io.dmm.core.net.DmmSocketFactories";

    private JavaNetFactories() {
    }

    /** True if the factories were installed, false if this DMM has none. */
    static boolean installIfPresent() {
        return installIfPresent(CLASS);
    }

    /** {@code className}'s static {@code install()}, if the class exists (a parameter for the tests). */
    static boolean installIfPresent(String className) {
        Class<?> factories;
        try {
            factories = Class.forName(className, true, JavaNetFactories.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return false;
        }
        try {
            factories.getMethod("install").invoke(null);
            return true;
        } catch (InvocationTargetException e) {
            throw new AgentFailure("installing DMM's java.net socket factories failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new AgentFailure(className + ".install() cannot be called: " + e, e);
        }
    }
}
