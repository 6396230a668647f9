package io.dmm.api;

import java.util.Map;

/**
 * Counters of one stack instance.
 *
 * @param name           instance name
 * @param type           stack type
 * @param health         UP, DEGRADED or DOWN
 * @param decisions      routing decisions that chose this instance first
 * @param socketsOpened  sockets (channels) opened on this instance, accepted ones included
 * @param socketsActive  of those, the ones not closed yet
 * @param connectsOk     successful connects
 * @param connectsFailed failed connects
 * @param bytesIn        bytes read or received by the application
 * @param bytesOut       bytes written or sent by the application
 * @param stackCounters  counters the stack itself reports (its own names)
 * @param healthDetail   why the instance is not UP (what is missing, how to fix it), "" when UP
 * @param admin          {@code active}, {@code draining} (takes no new sockets until undrained) or
 *                       {@code retiring} (removed from the policy; stops when its last socket closes)
 */
public record StackStats(String name, String type, String health, long decisions, long socketsOpened,
                         long socketsActive, long connectsOk, long connectsFailed, long bytesIn,
                         long bytesOut, Map<String, Long> stackCounters, String healthDetail,
                         String admin) {
    public StackStats {
        stackCounters = Map.copyOf(stackCounters);
        healthDetail = healthDetail == null ? "" : healthDetail;
        admin = admin == null ? "active" : admin;
    }
}
