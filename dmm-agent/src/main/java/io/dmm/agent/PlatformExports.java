package io.dmm.agent;

import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.Set;

/**
 * Opens the door to the JDK's own SelectorProvider for DMM's kernel stack: exports
 * {@code java.base/sun.nio.ch} to the agent's module (the system class loader's unnamed module,
 * where the whole agent jar lives), so that {@code PlatformChannels} can call
 * {@code sun.nio.ch.DefaultSelectorProvider.get()}; and opens {@code java.net} to it for
 * DatagramPacket's lengths (see {@link #PACKET_PACKAGE}). An {@code Add-Exports} line in the agent jar's
 * manifest would be ignored: the JDK honours it only in the main jar of {@code java -jar}.
 */
final class PlatformExports {
    static final String PACKAGE = "sun.nio.ch";

    private PlatformExports() {
    }

    /**
     * {@code java.net}, which DMM's DatagramSocket adaptor opens for deep reflection on
     * {@code DatagramPacket} alone: to set the length a receive filled without shrinking the packet's
     * buffer length, as the JDK's own sockets do (io.dmm.jdk.net.PacketLengths).
     */
    static final String PACKET_PACKAGE = "java.net";

    static void exportNioImplementation(Instrumentation inst) {
        Module javaBase = Object.class.getModule();
        Module dmm = PlatformExports.class.getModule();
        inst.redefineModule(javaBase, Set.of(), Map.of(PACKAGE, Set.of(dmm)), Map.of(PACKET_PACKAGE, Set.of(dmm)),
                Set.of(), Map.of());
        if (!javaBase.isExported(PACKAGE, dmm)) {
            throw new AgentFailure("java.base did not export " + PACKAGE + " to DMM after redefineModule");
        }
        if (!javaBase.isOpen(PACKET_PACKAGE, dmm)) {
            throw new AgentFailure("java.base did not open " + PACKET_PACKAGE + " to DMM after redefineModule");
        }
    }
}
