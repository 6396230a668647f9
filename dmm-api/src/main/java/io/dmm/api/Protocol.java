package io.dmm.api;

/** Transport protocol of a socket, as the policy's {@code proto} key names it. */
public enum Protocol {
    TCP, UDP;

    /** The name used in policy files ({@code "tcp"}, {@code "udp"}). */
    public String configName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
