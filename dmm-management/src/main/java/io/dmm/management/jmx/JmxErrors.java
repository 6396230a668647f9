package io.dmm.management.jmx;

import io.dmm.api.DmmConfigException;
import java.util.function.Supplier;

/**
 * Turns what DMM throws into exceptions every JMX client can deserialize: a remote client has the
 * JDK's classes but maybe not DMM's, and an exception it cannot load reaches it as an
 * UnmarshalException that hides the message. So operations rethrow a {@link DmmConfigException}
 * (a rejected policy) and a bad argument as {@link IllegalArgumentException}, anything else as
 * {@link IllegalStateException} — with the exact message DMM wrote (a config error's
 * {@code file:line:col: path: problem}) and without a cause.
 */
final class JmxErrors {
    private JmxErrors() {
    }

    static <T> T call(Supplier<T> operation) {
        try {
            return operation.get();
        } catch (DmmConfigException | IllegalArgumentException e) {
            throw new IllegalArgumentException(message(e));
        } catch (IllegalStateException e) {
            throw new IllegalStateException(message(e));
        } catch (RuntimeException e) {
            throw new IllegalStateException(e.getClass().getSimpleName() + ": " + message(e));
        }
    }

    static void run(Runnable operation) {
        call(() -> {
            operation.run();
            return null;
        });
    }

    private static String message(Throwable e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
