package io.dmm.stack.userspace.config;

import java.util.List;

/**
 * The DPDK part of a {@code "driver": "dpdk"} device (see docs/dpdk.md for every key).
 *
 * @param port          devargs of the port: a vdev ({@code "net_tap0,iface=dmm0"}), a PCI address
 *                      ({@code "0000:01:00.0"}) or the name of a port the EAL already probed; null
 *                      when {@code link} wires two instances by a ring pair instead
 * @param link          name of a {@code net_ring} pair between two instances of this JVM, or null
 * @param queues        rx/tx queue pairs (RSS spreads received flows over the rx queues)
 * @param rxDescriptors receive ring size per queue
 * @param txDescriptors transmit ring size per queue
 * @param mbufs         packet buffers in the port's pool
 * @param offloads      use the port's checksum offloads when it has them
 * @param eal           EAL arguments of this JVM, or null for the defaults; every DPDK instance of a
 *                      JVM must agree, as there is one EAL per process
 */
public record DpdkSpec(String port, String link, int queues, int rxDescriptors, int txDescriptors, int mbufs,
                       boolean offloads, List<String> eal) {
}
