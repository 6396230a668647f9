package io.dmm.stack.userspace.interop;

import static io.dmm.stack.userspace.interop.DpdkKernelLink.STACK_IP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.systemtest.host.CommandResult;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Linux's ping answered by the userspace stack, over every kind of device with a kernel at its other end. */
class PingInteropTest {

    @ParameterizedTest
    @EnumSource(PortKind.class)
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void linuxPingGetsThreeRepliesFromTheUserspaceStack(PortKind kind) {
        try (DpdkKernelLink link = DpdkKernelLink.open(kind)) {
            long requests = link.counter("icmp_rx");
            long replies = link.counter("icmp_echo_replies_sent");

            CommandResult ping = link.ns.exec(Duration.ofSeconds(15), "ping", "-c", "3", "-i", "0.2", "-W", "2", STACK_IP);

            assertEquals(0, ping.exitCode(), () -> ping.describe() + "\n" + link.counters());
            assertTrue(ping.stdout().contains("3 packets transmitted, 3 received"), () -> ping.describe() + "\n" + link.counters());
            assertEquals(3, link.counter("icmp_rx") - requests, () -> "ICMP received: " + link.stack.counters());
            assertEquals(3, link.counter("icmp_echo_replies_sent") - replies, () -> "echo replies: " + link.stack.counters());
        }
    }
}
