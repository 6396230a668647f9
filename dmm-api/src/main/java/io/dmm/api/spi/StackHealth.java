package io.dmm.api.spi;

/** Whether a stack instance takes new sockets. A DOWN instance is skipped by fallback lists. */
public enum StackHealth {
    UP, DEGRADED, DOWN
}
