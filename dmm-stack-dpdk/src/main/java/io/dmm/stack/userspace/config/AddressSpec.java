package io.dmm.stack.userspace.config;

import io.dmm.stack.userspace.wire.Ipv4Address;

/** An interface address with its prefix length, from {@code "198.51.100.1/24"}. */
public record AddressSpec(int address, int prefixLength) {
    @Override
    public String toString() {
        return Ipv4Address.toString(address) + "/" + prefixLength;
    }
}
