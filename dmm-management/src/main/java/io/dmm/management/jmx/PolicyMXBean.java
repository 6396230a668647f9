package io.dmm.management.jmx;

/**
 * {@code io.dmm:type=Policy}: the running policy version and how its last change went, and the
 * operations that change it. Every change is validated completely and applied atomically; a
 * rejected one throws {@link IllegalArgumentException} (or {@link IllegalStateException}) whose
 * message is DMM's error — for a bad policy {@code file:line:column: path: problem} — and the
 * running version stays. Changing operations return the version now running.
 */
public interface PolicyMXBean {
    /** 1 for the start-up policy, one more for every applied change. */
    long getVersion();

    /** Where the running version came from: a file path, {@code <built-in default>}, {@code <runtime API: addRule>}... */
    String getOrigin();

    /** The file {@code reload} reads, "" when there is none. */
    String getFile();

    /** When the running version was applied (ISO-8601). */
    String getAppliedAt();

    int getRuleCount();

    int getStackCount();

    /** The stack instances in policy order, then the retiring ones (which may repeat a name). */
    java.util.List<String> getStackNames();

    /** When the last change was attempted (ISO-8601), "" when none was yet. */
    String getLastChangeAt();

    /** What asked for the last change: {@code file watch}, {@code reload}, {@code addRule}..., "" when none. */
    String getLastChangeTrigger();

    /** Whether the last change was applied (false also when there was none). */
    boolean isLastChangeApplied();

    /** The version the last change made, or that stayed when it was rejected; 0 when none. */
    long getLastChangeVersion();

    /** Why the last change was rejected, "" when it was applied. */
    String getLastChangeError();

    /** Reads the policy file again. */
    long reload();

    /** Replaces the whole policy by {@code policyJson}; {@code origin} names it in errors and in Origin. */
    long apply(String policyJson, String origin);

    /** Inserts a rule (JSON, as in a policy file) before {@code position}; -1 appends. */
    long addRule(int position, String ruleJson);

    long replaceRule(int index, String ruleJson);

    long removeRule(int index);

    /** Adds and starts a stack instance (JSON, as in a policy file). */
    long addStack(String stackJson);

    /** Removes a stack instance: it takes no new sockets and stops when its last socket closes. */
    long removeStack(String name);

    /**
     * Which rule of the running version routes a socket described so.
     *
     * @param protocol {@code tcp} or {@code udp}
     * @param role     {@code client}, {@code server}, {@code sender} or {@code receiver}
     * @param service  {@code ADDR:PORT} of the service end ({@code [IPv6]:PORT}, {@code *:PORT})
     */
    ExplanationView explain(String protocol, String role, String service);

    /** {@link #explain(String, String, String)} with a source address and hints; "" for any of them: absent. */
    ExplanationView explain(String protocol, String role, String service, String source, String qos, String tag,
                            String stack, String app, String caller);
}
