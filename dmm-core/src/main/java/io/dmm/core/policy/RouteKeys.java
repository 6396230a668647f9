package io.dmm.core.policy;

import io.dmm.api.RouteExplanation;
import io.dmm.api.RouteQuery;
import java.net.InetSocketAddress;

/**
 * Conversions between the public API's questions and answers ({@link RouteQuery},
 * {@link RouteExplanation}) and the policy's {@link RouteKey} and {@link Route}.
 */
public final class RouteKeys {
    private RouteKeys() {
    }

    /**
     * The key the policy decides on for {@code query}. An unresolved service address counts as
     * absent (the policy never resolves names), its port still counts.
     *
     * @param jvmApp this JVM's application name ({@code -Ddmm.app}), used when the query names none;
     *               may be null
     */
    public static RouteKey of(RouteQuery query, String jvmApp) {
        InetSocketAddress service = query.service();
        return new RouteKey(query.protocol(), query.role(),
                service == null ? null : service.getAddress(),
                service == null ? -1 : service.getPort(),
                query.source(),
                query.hints().qos(),
                query.hints().tag(),
                query.app() != null ? query.app() : jvmApp,
                query.caller());
    }

    /** Why {@code key} got {@code route}, in the API's terms. */
    public static RouteExplanation explain(RouteKey key, Route route) {
        String reason = route.isDefault()
                ? key + ": no rule matched; default route (" + route.source() + ") -> " + String.join(", ",
                        route.stacks())
                : key + ": rule #" + route.index() + " (" + route.source() + ") " + route.description();
        return new RouteExplanation(route.index(), route.source(), route.stacks(), reason);
    }
}
