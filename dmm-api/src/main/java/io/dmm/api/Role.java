package io.dmm.api;

/**
 * What a socket does, as the policy's {@code role} key names it: TCP sockets are clients or
 * servers, UDP sockets are senders (they send or connect first) or receivers (they bind first).
 */
public enum Role {
    CLIENT(Protocol.TCP), SERVER(Protocol.TCP), SENDER(Protocol.UDP), RECEIVER(Protocol.UDP);

    private final Protocol protocol;

    Role(Protocol protocol) {
        this.protocol = protocol;
    }

    /** The protocol this role belongs to. */
    public Protocol protocol() {
        return protocol;
    }

    /** True for the roles whose service end is the remote one (client, sender). */
    public boolean isActive() {
        return this == CLIENT || this == SENDER;
    }

    /** The name used in policy files ({@code "client"}, ...). */
    public String configName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
