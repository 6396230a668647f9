package io.dmm.api;

import java.util.List;

/**
 * Steering a running DMM: the policy (reload, push, rule edits), stack instances (add, remove,
 * drain) and the socket table. Reached with {@link DmmSockets#control()}; the JMX MBeans, the
 * {@code dmm} command and the HTTP endpoint are views of this same interface.
 *
 * <p>Every change that alters the policy builds a complete new policy version, validates it as a
 * policy file is validated at start-up and swaps it in atomically: on failure it throws
 * {@link DmmConfigException} (or {@link IllegalArgumentException} for a bad argument) and the running
 * policy stays as it was. New sockets are routed by the new version; open sockets keep their stack.
 * Stack instances the new version adds are started before the swap; instances it no longer has are
 * drained and stopped when their last socket closes.
 */
public interface DmmControl {
    /** The running policy: version, origin, last reload attempt and its outcome. */
    PolicyStatus policy();

    /**
     * Reads the policy again from where it came from (the file of {@code -Ddmm.config} or
     * {@code $DMM_CONFIG}).
     *
     * @throws DmmConfigException when the file is invalid; the running policy stays
     * @throws IllegalStateException when the running policy has no file to read (built-in default)
     */
    PolicyStatus reload();

    /**
     * Replaces the whole policy by {@code policyJson} (the policy file format), except its
     * {@code management} section: a pushed policy keeps the running management settings (stack
     * module directory, endpoints, file watch), which come only from the local policy file and the
     * command line. A section that says anything else is refused (see docs/security.md), and so is
     * a stack that sets one of its type's local-only settings
     * ({@link io.dmm.api.spi.StackProvider#localOnlySettings()}) to a value the running stack of
     * that name does not have.
     *
     * @param origin names the text in error messages and in {@link PolicyStatus#origin()}, e.g.
     *               {@code "http push from 127.0.0.1"}
     * @throws DmmConfigException when the text is invalid or would change the management settings
     *         or a local-only stack setting; the running policy stays
     */
    PolicyStatus apply(String policyJson, String origin);

    /**
     * Inserts a rule (a rule object of the policy file format) before the rule at {@code position};
     * {@code position} equal to the number of rules (or -1) appends it.
     */
    PolicyStatus addRule(int position, String ruleJson);

    /** Replaces the rule at {@code index} by {@code ruleJson}. */
    PolicyStatus replaceRule(int index, String ruleJson);

    /** Removes the rule at {@code index}; later rules move up by one. */
    PolicyStatus removeRule(int index);

    /**
     * Adds and starts a stack instance (a stack object of the policy file format). It may not set
     * its type's local-only settings ({@link io.dmm.api.spi.StackProvider#localOnlySettings()}):
     * those come only from the policy file.
     */
    PolicyStatus addStack(String stackJson);

    /**
     * Removes a stack instance: it takes no new sockets and stops when its last socket closes. The
     * default route and the rules must not name it any more.
     */
    PolicyStatus removeStack(String name);

    /**
     * Stops routing new sockets to {@code stack}: rules with a fallback list move on to their next
     * stack, rules without one fail new sockets with an error saying the stack is draining. Open
     * sockets (listeners included) keep working until they close.
     *
     * @throws IllegalArgumentException for an unknown stack
     */
    void drain(String stack);

    /** Routes new sockets to {@code stack} again. */
    void undrain(String stack);

    /** The open sockets, oldest first: the JVM's equivalent of {@code ss}. */
    List<SocketInfo> sockets();

    /** Counters per stack instance and per rule of the running version. */
    DmmStats stats();

    /** Which rule of the running version would route a socket described by {@code query}. */
    RouteExplanation explain(RouteQuery query);
}
