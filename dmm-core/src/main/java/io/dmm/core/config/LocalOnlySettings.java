package io.dmm.core.config;

import java.util.Set;

/**
 * The settings of each stack type that only the local policy file may set
 * ({@link io.dmm.api.spi.StackProvider#localOnlySettings()}), as the running runtime's stack types
 * declare them. The config readers know no provider; the runtime answers for them.
 */
@FunctionalInterface
public interface LocalOnlySettings {
    /** No stack type has any (a runtime whose types load nothing and touch nothing on the host). */
    LocalOnlySettings NONE = type -> Set.of();

    /** The local-only settings of {@code type}: keys or dotted paths into its stack entry; none for an unknown type. */
    Set<String> of(String type);
}
