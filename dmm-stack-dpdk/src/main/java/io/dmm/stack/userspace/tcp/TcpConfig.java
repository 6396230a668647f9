package io.dmm.stack.userspace.tcp;

import java.time.Duration;

/**
 * Stack-wide TCP settings (a stack entry's {@code "tcp"} object). Immutable; build with
 * {@link #builder()}. Defaults follow the RFCs and Linux, the RTO too: 1 s initial, and a 200 ms
 * floor added to SRTT ({@link RttEstimator}). A 50 ms floor (chosen once so that µs-RTT links
 * recover from a tail loss quickly) made most timeouts spurious under load: with 400 HTTP
 * connections on 2 cores, 87% of them were ACKs a CPU stall had delayed, and requests/s halved
 * (docs/benchmarks.md, issue 15). A Linux peer may also delay an ACK up to 200 ms.
 */
public final class TcpConfig {
    public enum Congestion { NEWRENO, CUBIC }

    /** MSS to announce; 0 derives it from the MTU (MTU − 40, RFC 6691). */
    public final int mss;
    public final long initialRtoNanos;
    public final long minRtoNanos;
    public final long maxRtoNanos;
    /** How long a connection stays in TIME_WAIT (2·MSL). */
    public final long timeWaitNanos;
    /** Upper bound of the delayed-ACK timer (at most 40 ms per the issue; RFC 9293 allows 500 ms). */
    public final long delayedAckNanos;
    public final boolean sack;
    public final boolean timestamps;
    public final boolean windowScaling;
    public final Congestion congestion;
    /** Initial congestion window in segments (RFC 6928). */
    public final int initialCwndSegments;
    public final long keepAliveIdleNanos;
    public final long keepAliveIntervalNanos;
    public final int keepAliveProbes;
    /** Retransmissions of a SYN before connect fails with a timeout. */
    public final int synRetries;
    /** Retransmissions of data before the connection is dropped (Linux tcp_retries2). */
    public final int dataRetries;
    public final int defaultSendBuffer;
    public final int defaultReceiveBuffer;
    public final int maxBuffer;
    /** Bytes all connections' send and receive buffers may hold together (Linux's tcp_mem): {@link ChunkPool}. */
    public final long memoryLimit;
    /** Whether receive windows start small and grow as the application keeps up (Linux's tcp_moderate_rcvbuf). */
    public final boolean receiveAutoTuning;
    /** RFC 5961 challenge ACKs allowed per second (stack-wide). */
    public final int challengeAcksPerSecond;
    public final int ephemeralPortLow;
    public final int ephemeralPortHigh;
    /** Backlog used when the application passes 0 (the JDK's default is 50). */
    public final int defaultBacklog;

    private TcpConfig(Builder b) {
        mss = b.mss;
        initialRtoNanos = b.initialRto.toNanos();
        minRtoNanos = b.minRto.toNanos();
        maxRtoNanos = b.maxRto.toNanos();
        timeWaitNanos = b.timeWait.toNanos();
        delayedAckNanos = b.delayedAck.toNanos();
        sack = b.sack;
        timestamps = b.timestamps;
        windowScaling = b.windowScaling;
        congestion = b.congestion;
        initialCwndSegments = b.initialCwndSegments;
        keepAliveIdleNanos = b.keepAliveIdle.toNanos();
        keepAliveIntervalNanos = b.keepAliveInterval.toNanos();
        keepAliveProbes = b.keepAliveProbes;
        synRetries = b.synRetries;
        dataRetries = b.dataRetries;
        defaultSendBuffer = b.defaultSendBuffer;
        defaultReceiveBuffer = b.defaultReceiveBuffer;
        maxBuffer = b.maxBuffer;
        memoryLimit = b.memoryLimit;
        receiveAutoTuning = b.receiveAutoTuning;
        challengeAcksPerSecond = b.challengeAcksPerSecond;
        ephemeralPortLow = b.ephemeralPortLow;
        ephemeralPortHigh = b.ephemeralPortHigh;
        defaultBacklog = b.defaultBacklog;
    }

    public static TcpConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.mss = mss;
        b.initialRto = Duration.ofNanos(initialRtoNanos);
        b.minRto = Duration.ofNanos(minRtoNanos);
        b.maxRto = Duration.ofNanos(maxRtoNanos);
        b.timeWait = Duration.ofNanos(timeWaitNanos);
        b.delayedAck = Duration.ofNanos(delayedAckNanos);
        b.sack = sack;
        b.timestamps = timestamps;
        b.windowScaling = windowScaling;
        b.congestion = congestion;
        b.initialCwndSegments = initialCwndSegments;
        b.keepAliveIdle = Duration.ofNanos(keepAliveIdleNanos);
        b.keepAliveInterval = Duration.ofNanos(keepAliveIntervalNanos);
        b.keepAliveProbes = keepAliveProbes;
        b.synRetries = synRetries;
        b.dataRetries = dataRetries;
        b.defaultSendBuffer = defaultSendBuffer;
        b.defaultReceiveBuffer = defaultReceiveBuffer;
        b.maxBuffer = maxBuffer;
        b.memoryLimit = memoryLimit;
        b.receiveAutoTuning = receiveAutoTuning;
        b.challengeAcksPerSecond = challengeAcksPerSecond;
        b.ephemeralPortLow = ephemeralPortLow;
        b.ephemeralPortHigh = ephemeralPortHigh;
        b.defaultBacklog = defaultBacklog;
        return b;
    }

    public static final class Builder {
        private int mss;
        private Duration initialRto = Duration.ofSeconds(1);
        private Duration minRto = Duration.ofMillis(200);
        private Duration maxRto = Duration.ofSeconds(60);
        private Duration timeWait = Duration.ofSeconds(60);
        private Duration delayedAck = Duration.ofMillis(40);
        private boolean sack = true;
        private boolean timestamps = true;
        private boolean windowScaling = true;
        private Congestion congestion = Congestion.NEWRENO;
        private int initialCwndSegments = 10;
        private Duration keepAliveIdle = Duration.ofHours(2);
        private Duration keepAliveInterval = Duration.ofSeconds(75);
        private int keepAliveProbes = 9;
        private int synRetries = 6;
        private int dataRetries = 15;
        private int defaultSendBuffer = 256 * 1024;
        private int defaultReceiveBuffer = 256 * 1024;
        private int maxBuffer = 16 * 1024 * 1024;
        private long memoryLimit = 512L * 1024 * 1024;
        private boolean receiveAutoTuning = true;
        private int challengeAcksPerSecond = 1000;
        private int ephemeralPortLow = 32768;
        private int ephemeralPortHigh = 60999;
        private int defaultBacklog = 50;

        public Builder mss(int v) { mss = v; return this; }
        public Builder initialRto(Duration v) { initialRto = v; return this; }
        public Builder minRto(Duration v) { minRto = v; return this; }
        public Builder maxRto(Duration v) { maxRto = v; return this; }
        public Builder timeWait(Duration v) { timeWait = v; return this; }
        public Builder delayedAck(Duration v) { delayedAck = v; return this; }
        public Builder sack(boolean v) { sack = v; return this; }
        public Builder timestamps(boolean v) { timestamps = v; return this; }
        public Builder windowScaling(boolean v) { windowScaling = v; return this; }
        public Builder congestion(Congestion v) { congestion = v; return this; }
        public Builder initialCwndSegments(int v) { initialCwndSegments = v; return this; }
        public Builder keepAliveIdle(Duration v) { keepAliveIdle = v; return this; }
        public Builder keepAliveInterval(Duration v) { keepAliveInterval = v; return this; }
        public Builder keepAliveProbes(int v) { keepAliveProbes = v; return this; }
        public Builder synRetries(int v) { synRetries = v; return this; }
        public Builder dataRetries(int v) { dataRetries = v; return this; }
        public Builder defaultSendBuffer(int v) { defaultSendBuffer = v; return this; }
        public Builder defaultReceiveBuffer(int v) { defaultReceiveBuffer = v; return this; }
        public Builder maxBuffer(int v) { maxBuffer = v; return this; }
        public Builder memoryLimit(long v) { memoryLimit = v; return this; }
        public Builder receiveAutoTuning(boolean v) { receiveAutoTuning = v; return this; }
        public Builder challengeAcksPerSecond(int v) { challengeAcksPerSecond = v; return this; }
        public Builder ephemeralPorts(int low, int high) { ephemeralPortLow = low; ephemeralPortHigh = high; return this; }
        public Builder defaultBacklog(int v) { defaultBacklog = v; return this; }

        public TcpConfig build() {
            return new TcpConfig(this);
        }
    }
}
