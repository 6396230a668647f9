package io.dmm.stack.userspace.tcp;

import static io.dmm.stack.userspace.wire.TcpHeader.ACK;
import static io.dmm.stack.userspace.wire.TcpHeader.FIN;
import static io.dmm.stack.userspace.wire.TcpHeader.PSH;
import static io.dmm.stack.userspace.wire.TcpHeader.RST;
import static io.dmm.stack.userspace.wire.TcpHeader.SYN;
import static io.dmm.stack.userspace.wire.TcpHeader.URG;

import io.dmm.stack.userspace.Counter;
import io.dmm.stack.userspace.Notification;
import io.dmm.stack.userspace.wire.Ipv4Header;
import io.dmm.stack.userspace.wire.TcpHeader;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;

/**
 * One TCP connection (a TCB) as the application sees it. Every method runs under the stack's lock
 * and never blocks: blocking is the channel's job, which waits for the connection's
 * {@link Notification}.
 *
 * <p>The segment-arrival processing follows RFC 9293 §3.10.7 step by step (with the RFC 5961
 * hardening and RFC 7323 PAWS); the sender is one {@link #output} loop limited by
 * min(cwnd, peer window) in flight, Nagle and sender SWS avoidance. Timers are plain deadline
 * fields; the stack keeps the connection in its {@link TimerHeap} at the earliest of them.
 */
public final class TcpConnection {
    static final long NONE = Long.MAX_VALUE;
    /** How many segments TCP_QUICKACK ACKs at once (Linux's TCP_MAX_QUICKACKS). */
    static final int QUICK_ACKS = 16;
    /** The peer's segment size taken as full before its first (Linux's TCP_MSS_DEFAULT in tcp_initialize_rcv_mss). */
    private static final int DEFAULT_RCV_MSS = 536;
    private static final int MIN_BUFFER = 1024;
    /** PAWS: TS.Recent older than this is no longer trusted (RFC 7323 §5.5, 24 days). */
    private static final long PAWS_IDLE_NANOS = 24L * 24 * 3600 * 1_000_000_000L;

    final TcpStack stack;
    final int localIp;
    final int localPort;
    final int remoteIp;
    final int remotePort;
    private final TcpSocketOptions opts;

    // Stack bookkeeping (intrusive structures).
    TcpConnection nextInBucket;
    int heapIndex = -1;
    long heapDeadline;
    /** The listener this passive connection belongs to until accepted. */
    TcpListener listener;
    /** (ip, port) this connection holds in the PortTable as an active user, or portHeld false. */
    boolean portHeld;
    int portIp;
    /** Whether that hold shares the port (SO_REUSEPORT at bind), as the PortTable counts it. */
    boolean portShared;

    TcpState state = TcpState.CLOSED;
    private boolean activeOpen;
    private boolean established;
    private Notification notification;
    private IOException error;
    private IOException connectFailure;

    // Send sequence space (RFC 9293 §3.3.1).
    int iss;
    int sndUna;
    int sndNxt;
    /** Highest sequence number sent (sndNxt goes back to sndUna on a timeout, this does not). */
    int sndMax;
    int sndWnd;
    private int sndWl1;
    private int sndWl2;
    private int maxSndWnd;
    private int sndShift;
    private SendBuffer sendBuf;
    private int sendBufSize;
    private boolean finQueued;
    private int finSeq;
    /** Urgent data sent and not yet acknowledged: segments before SND.UP carry URG (RFC 9293 §3.8.5). */
    private boolean urgentMode;
    /** The urgent pointer: the sequence number after the urgent byte, as Linux (BSD) sends it. */
    private int sndUp;
    /** Largest payload per segment: the peer's MSS less our per-segment option bytes. */
    int sendMss;
    int peerMss = 536;
    private final int ourMss;

    // Receive sequence space.
    int irs;
    int rcvNxt;
    /** Right edge of the window last advertised (never moved left: RFC 9293 §3.8.6.2.2). */
    int rcvAdv;
    int rcvShift;
    private ReceiveBuffer recvBuf;
    private int recvBufSize;
    /** How far the window may open now: grows toward recvBufSize while the application keeps up. */
    private final ReceiveSpaceTuner rcvSpace;
    private boolean finReceived;
    private boolean peerFinPending;
    private int peerFinSeq;
    private boolean inputShutdown;
    private boolean outputShutdown;
    private boolean appClosed;
    private final UrgentMark urgentMark = new UrgentMark();
    /** The connection failed with its device: unread bytes go with it (a reset keeps them to be read first). */
    private boolean discardUnread;

    // Negotiated options.
    boolean tsOk;
    boolean sackOk;
    boolean wsOk;
    int tsRecent;
    private long tsRecentAge;
    private boolean tsRecentValid;
    private int lastAckSent;
    private final int tsOffset;
    private int lastTsVal;
    private boolean tsClockStarted;

    // Loss recovery and timing.
    private RttEstimator rtt;
    private CongestionControl cc;
    private SackScoreboard scoreboard;
    private boolean rttTiming;
    private int rttSeq;
    private long rttStart;
    int dupAcks;
    boolean inRecovery;
    private int recover;
    private int highRxt;
    /** RFC 8985 §7.2: a probe timeout with more than one segment in flight gets this on top of 2·SRTT. */
    private static final long TLP_MARGIN_NANOS = 10_000_000L;
    /** ... and with one segment, the worst-case delayed ACK (RFC 8985's WCDelAckT, Linux's 200 ms). */
    private static final long TLP_DELAYED_ACK_NANOS = 200_000_000L;
    /** Our TS value when the last retransmission timeout fired (see onNewAck's RTT sampling). */
    private int retransmitTs;
    /**
     * Set by the first timeout of a loss episode when timestamps are on: the first ACK of new data
     * then tells whether the timeout was spurious (RFC 3522). Our TS value at that timeout, and the
     * window before it, to undo its reduction (RFC 4015).
     */
    private boolean rtoUndoPending;
    /** rtoAt holds a tail loss probe's timeout (RFC 8985 §7), not the RTO. */
    private boolean probeArmed;
    private int rtoUndoTs;
    private long rtoUndoCwnd;
    private long rtoUndoSsthresh;
    private int retries;
    private int persistBackoff;
    private int keepAliveProbesSent;
    /** TCP_QUICKACK as read back; true until the application turns it off (Linux starts out of pingpong mode). */
    private boolean quickAck = true;
    /** Segments still to be ACKed at once after TCP_QUICKACK was set. */
    private int quickAcksLeft;
    private long lastReceived;
    private int bytesToAck;
    /** The largest segment seen from the peer: "full-sized" for the ACK-every-second-segment rule. */
    private int rcvMss;
    private boolean ackNow;
    /** A segment shorter than rcvMss arrived since our last ACK (Linux's ICSK_ACK_PUSHED). */
    private boolean pushedSinceAck;
    /** The end of the last segment sent shorter than the MSS (Linux's snd_sml, for Minshall's Nagle). */
    private int sndSml;
    /**
     * Interactive ("pingpong") mode, as Linux's: we sent new data within a delayed-ACK time of
     * receiving data, so our ACKs ride on our answers and a read does not ACK at once. Left when
     * the delayed-ACK timer fires (the answer did not come in time) or TCP_QUICKACK is set.
     */
    private boolean pingpong;
    /** When data last arrived (clock nanos), for entering pingpong mode (Linux's lrcvtime). */
    private long lastDataAt = Long.MIN_VALUE;

    // Timer deadlines (NONE when off).
    long rtoAt = NONE;
    long persistAt = NONE;
    long delackAt = NONE;
    long keepAliveAt = NONE;
    /** TIME_WAIT expiry or the orphaned FIN_WAIT_2 timeout. */
    long closeAt = NONE;
    long retryAt = NONE;

    TcpConnection(TcpStack stack, int localIp, int localPort, int remoteIp, int remotePort, TcpSocketOptions options) {
        this.stack = stack;
        this.localIp = localIp;
        this.localPort = localPort;
        this.remoteIp = remoteIp;
        this.remotePort = remotePort;
        this.opts = options.copy();
        TcpConfig cfg = stack.config;
        this.ourMss = stack.ourMss();
        this.recvBufSize = receiveBufferSize(opts, cfg);
        this.sendBufSize = clampBuffer(opts.sendBufferSize > 0 ? opts.sendBufferSize : cfg.defaultSendBuffer, cfg);
        this.rcvShift = cfg.windowScaling ? windowShift(recvBufSize) : 0;
        this.rcvSpace = new ReceiveSpaceTuner(recvBufSize, cfg.receiveAutoTuning && opts.receiveBufferSize <= 0, ourMss);
        this.tsOffset = stack.tsOffset(localIp, localPort, remoteIp, remotePort);
        this.rtt = new RttEstimator(cfg.initialRtoNanos, cfg.minRtoNanos, cfg.maxRtoNanos, 1_000_000L);
    }

    /** The receive buffer a connection with these options gets. */
    static int receiveBufferSize(TcpSocketOptions opts, TcpConfig cfg) {
        return clampBuffer(opts.receiveBufferSize > 0 ? opts.receiveBufferSize : cfg.defaultReceiveBuffer, cfg);
    }

    /** The window scale we announce for a receive buffer: the least that lets the window field cover it. */
    static int windowShift(int recvBufSize) {
        int shift = 0;
        while (shift < 14 && (recvBufSize >>> shift) > 65535) shift++;
        return shift;
    }

    private static int clampBuffer(int size, TcpConfig cfg) {
        return Math.max(MIN_BUFFER, Math.min(size, cfg.maxBuffer));
    }

    // =====================================================================================
    // Opening

    void openActive(long now) {
        activeOpen = true;
        iss = stack.isn(localIp, localPort, remoteIp, remotePort, now);
        sndUna = iss;
        sndNxt = iss + 1;
        sndMax = sndNxt;
        recover = iss;
        sndSml = iss;
        state = TcpState.SYN_SENT;
        sendSyn(now);
        rtoAt = now + rtt.rtoNanos();
        stack.reschedule(this);
    }

    /** A SYN reached a listener: answer with SYN-ACK from SYN_RECEIVED. */
    void openPassive(TcpHeader seg, long now) {
        irs = seg.seq();
        rcvNxt = irs + 1;
        applySynOptions(seg, now);
        iss = stack.isn(localIp, localPort, remoteIp, remotePort, now);
        sndUna = iss;
        sndNxt = iss + 1;
        sndMax = sndNxt;
        recover = iss;
        sndSml = iss;
        sndWnd = seg.window(); // never scaled in a SYN
        maxSndWnd = sndWnd;
        sndWl1 = seg.seq();
        sndWl2 = iss;
        state = TcpState.SYN_RECEIVED;
        lastReceived = now;
        sendSyn(now);
        rtoAt = now + rtt.rtoNanos();
        stack.reschedule(this);
    }

    /**
     * The handshake's final ACK carried a valid SYN cookie ({@link SynCookies}): SYN_RECEIVED as if
     * our SYN-ACK (ISS ack - 1) had been sent, with the peer's MSS, window scale and SACK as the
     * cookie and the ACK's TSecr encode them; {@link #onSegment} of that ACK then completes the handshake.
     */
    void openFromCookie(TcpHeader ack, int mss, int peerWindowScale, boolean sack, long now) {
        irs = ack.seq() - 1;
        rcvNxt = ack.seq();
        applyOptions(mss, peerWindowScale, sack, ack.hasTimestamps, ack.tsVal, now);
        iss = ack.ack() - 1;
        sndUna = iss;
        sndNxt = iss + 1;
        sndMax = sndNxt;
        recover = iss;
        sndSml = iss;
        sndWl1 = irs;
        sndWl2 = iss;
        rcvAdv = rcvNxt + Math.min(recvBufSize, 65535); // the window our SYN-ACK advertised
        lastAckSent = rcvNxt;
        retries = 1; // when the SYN-ACK left is not known: no RTT sample from the handshake (Karn)
        state = TcpState.SYN_RECEIVED;
        lastReceived = now;
    }

    private void applySynOptions(TcpHeader seg, long now) {
        applyOptions(seg.mss > 0 ? seg.mss : 536, seg.windowScale, seg.sackPermitted, seg.hasTimestamps, seg.tsVal, now);
    }

    /** The peer's options (window scale -1: none), as far as our configuration takes them up. */
    private void applyOptions(int mss, int peerWindowScale, boolean sack, boolean timestamps, int tsVal, long now) {
        TcpConfig cfg = stack.config;
        peerMss = mss;
        wsOk = cfg.windowScaling && peerWindowScale >= 0;
        sndShift = wsOk ? Math.min(peerWindowScale, 14) : 0;
        if (!wsOk) rcvShift = 0;
        sackOk = cfg.sack && sack;
        tsOk = cfg.timestamps && timestamps;
        if (tsOk) {
            tsRecent = tsVal;
            tsRecentAge = now;
            tsRecentValid = true;
        }
        sendMss = Math.max(64, Math.min(peerMss, ourMss) - (tsOk ? 12 : 0));
    }

    private void sendSyn(long now) {
        int flags = state == TcpState.SYN_SENT ? SYN : SYN | ACK;
        transmit(iss, flags, 0, 0, now);
    }

    private void becomeEstablished(long now) {
        state = TcpState.ESTABLISHED;
        established = true;
        retries = 0;
        cc = CongestionControl.create(stack.config.congestion, sendMss, stack.config.initialCwndSegments);
        lastReceived = now;
        rcvSpace.start(rcvNxt, now);
        if (opts.keepAlive) keepAliveAt = now + keepAliveIdleNanos();
        if (outputShutdown) queueFin(now);
        if (listener != null) listener.established(this);
        notifyApp();
    }

    // =====================================================================================
    // Segment arrival (RFC 9293 §3.10.7.3 and §3.10.7.4)

    /** {@code seg} is parsed (options included); the payload is at {@code [payOff, payOff + payLen)}. */
    void onSegment(TcpHeader seg, MemorySegment mem, long payOff, int payLen, long now) {
        if (state == TcpState.SYN_SENT) {
            onSegmentSynSent(seg, now);
        } else {
            onSegmentSynchronized(seg, mem, payOff, payLen, now);
        }
        if (state != TcpState.CLOSED) {
            output(now);
            stack.reschedule(this);
        }
    }

    private void onSegmentSynSent(TcpHeader seg, long now) {
        int flags = seg.flags();
        boolean ackOk = false;
        if ((flags & ACK) != 0) {
            int ack = seg.ack();
            if (SeqNum.le(ack, iss) || SeqNum.gt(ack, sndMax)) {
                if ((flags & RST) == 0) stack.sendReset(localIp, remoteIp, localPort, remotePort, ack, 0, false);
                return;
            }
            ackOk = true;
        }
        if ((flags & RST) != 0) {
            stack.counters.increment(Counter.TCP_RST_RX);
            if (ackOk) failConnect(new ConnectException("Connection refused"));
            return;
        }
        if ((flags & SYN) == 0) return;
        irs = seg.seq();
        rcvNxt = irs + 1;
        applySynOptions(seg, now);
        sndWnd = seg.window(); // SYN windows are never scaled
        maxSndWnd = sndWnd;
        sndWl1 = seg.seq();
        sndWl2 = seg.ack();
        rcvAdv = rcvNxt + Math.min(recvBufSize, 65535);
        lastReceived = now;
        if (ackOk) {
            sndUna = seg.ack();
            rtoAt = NONE;
            if (!rttTiming && rtt.backoffCount() == 0 && retries == 0) rtt.sample(now - rttStart);
            becomeEstablished(now);
            ackNow = true;
        } else {
            // Simultaneous open: SYN_RECEIVED, answer with SYN-ACK of the same ISS.
            state = TcpState.SYN_RECEIVED;
            sendSyn(now);
        }
    }

    private void onSegmentSynchronized(TcpHeader seg, MemorySegment mem, long payOff, int payLen, long now) {
        int flags = seg.flags();
        int seq = seg.seq();
        boolean rst = (flags & RST) != 0;

        // Duplicate SYN while we wait for the handshake's ACK: our SYN-ACK was lost.
        // In simultaneous open it is the peer's SYN-ACK (RFC 9293 figure 8), which completes ours.
        if (state == TcpState.SYN_RECEIVED && (flags & SYN) != 0 && !rst && seq == irs) {
            int ack = seg.ack();
            if ((flags & ACK) != 0 && SeqNum.gt(ack, sndUna) && SeqNum.le(ack, sndMax)) {
                sndUna = ack;
                rtoAt = NONE;
                sndWnd = seg.window();
                maxSndWnd = Math.max(maxSndWnd, sndWnd);
                sndWl1 = seq;
                sndWl2 = ack;
                becomeEstablished(now);
                ackNow = true;
            } else {
                sendSyn(now);
            }
            return;
        }

        // RFC 7323 §5.3 PAWS (before the sequence check).
        if (tsOk && seg.hasTimestamps && !rst && tsRecentValid
                && SeqNum.lt(seg.tsVal, tsRecent) && now - tsRecentAge < PAWS_IDLE_NANOS) {
            stack.counters.increment(Counter.DROP_TCP_PAWS);
            ackNow = true;
            return;
        }

        // Acceptability test, with RFC 9293's allowance for ACKs and RSTs into a zero window.
        int segLen = payLen + ((flags & SYN) != 0 ? 1 : 0) + ((flags & FIN) != 0 ? 1 : 0);
        int wnd = Math.max(0, rcvAdv - rcvNxt);
        boolean acceptable;
        if (segLen == 0) {
            acceptable = wnd == 0 ? seq == rcvNxt : SeqNum.inRange(seq, rcvNxt, rcvNxt + wnd);
        } else if (wnd == 0) {
            acceptable = seq == rcvNxt;
        } else {
            acceptable = SeqNum.inRange(seq, rcvNxt, rcvNxt + wnd) || SeqNum.inRange(seq + segLen - 1, rcvNxt, rcvNxt + wnd);
        }
        if (!acceptable) {
            if (!rst) {
                // Starting below RCV.NXT: a retransmission of data we hold (at least in part),
                // e.g. after our ACK was lost, meeting a closed window; not out of window.
                if (SeqNum.lt(seq, rcvNxt)) stack.counters.increment(Counter.TCP_DUPLICATE_SEGMENTS);
                else stack.counters.increment(Counter.DROP_TCP_OUT_OF_WINDOW);
                ackNow = true;
                if (state == TcpState.TIME_WAIT && (flags & FIN) != 0) closeAt = now + stack.config.timeWaitNanos;
            } else {
                stack.counters.increment(Counter.DROP_TCP_OUT_OF_WINDOW);
            }
            return;
        }
        lastReceived = now;
        keepAliveProbesSent = 0;

        // RFC 5961 §3: a RST resets only at exactly RCV.NXT; otherwise a challenge ACK.
        if (rst) {
            stack.counters.increment(Counter.TCP_RST_RX);
            if (seq == rcvNxt) onReset();
            else challengeAck(now);
            return;
        }

        // RFC 7323 §4.3: TS.Recent from segments covering Last.ACK.sent.
        if (tsOk && seg.hasTimestamps && SeqNum.ge(seg.tsVal, tsRecent) && SeqNum.le(seq, lastAckSent)) {
            tsRecent = seg.tsVal;
            tsRecentAge = now;
            tsRecentValid = true;
        }

        // RFC 5961 §4: a SYN in a synchronized state gets a challenge ACK.
        if ((flags & SYN) != 0) {
            challengeAck(now);
            return;
        }
        if ((flags & ACK) == 0) return;

        if (state == TcpState.SYN_RECEIVED) {
            int ack = seg.ack();
            if (SeqNum.gt(ack, sndUna) && SeqNum.le(ack, sndMax)) {
                if (listener != null && listener.acceptQueueFull()) {
                    // Linux's listen overflow: the ACK is dropped, our SYN-ACK is sent again, its ACK retried
                    stack.counters.increment(Counter.DROP_TCP_BACKLOG_FULL);
                    return;
                }
                sndUna = ack;
                rtoAt = NONE;
                if (retries == 0) rtt.sample(now - rttStart);
                sndWnd = seg.window() << sndShift;
                maxSndWnd = Math.max(maxSndWnd, sndWnd);
                sndWl1 = seq;
                sndWl2 = ack;
                becomeEstablished(now);
            } else {
                stack.sendReset(localIp, remoteIp, localPort, remotePort, ack, 0, false);
                return;
            }
        } else if (!processAck(seg, payLen, now)) {
            return;
        }
        if (state == TcpState.CLOSED || state == TcpState.TIME_WAIT && (flags & FIN) == 0) return;

        if ((flags & URG) != 0 && (state == TcpState.ESTABLISHED || state == TcpState.FIN_WAIT_1 || state == TcpState.FIN_WAIT_2)) {
            onUrgentPointer(seq, seg.urgent());
        }
        if (payLen > 0) processData(seq, mem, payOff, payLen, now);
        if (state == TcpState.CLOSED) return;
        if ((flags & FIN) != 0) {
            peerFinPending = true;
            peerFinSeq = seq + payLen;
            if (SeqNum.gt(peerFinSeq, rcvNxt)) ackNow = true;
        }
        checkPeerFin(now);
    }

    /** The ACK field (RFC 9293 §3.10.7.4 fifth check, RFC 5961 §5, RFC 5681/6582/6675). False: drop the segment. */
    private boolean processAck(TcpHeader seg, int payLen, long now) {
        int ack = seg.ack();
        if (SeqNum.gt(ack, sndMax) || SeqNum.lt(ack, sndUna - maxSndWnd)) {
            challengeAck(now);
            return false;
        }
        int seq = seg.seq();
        int oldWnd = sndWnd;
        int wnd = seg.window() << sndShift;
        if (SeqNum.lt(sndWl1, seq) || (sndWl1 == seq && SeqNum.le(sndWl2, ack))) {
            sndWnd = wnd;
            sndWl1 = seq;
            sndWl2 = ack;
            if (wnd > maxSndWnd) maxSndWnd = wnd;
            if (wnd > 0) {
                persistAt = NONE;
                persistBackoff = 0;
            }
        }
        if (sackOk && seg.sackCount > 0) {
            if (scoreboard == null) scoreboard = new SackScoreboard(); // first loss: idle connections never pay for it
            for (int i = 0; i < seg.sackCount; i++) scoreboard.onSack(seg.sackLeft[i], seg.sackRight[i], sndUna, sndMax);
        }
        if (SeqNum.gt(ack, sndUna)) {
            onNewAck(seg, ack, now);
        } else if (ack == sndUna && payLen == 0 && (seg.flags() & (FIN | SYN)) == 0 && wnd == oldWnd && wnd > 0 && sndMax != sndUna) {
            // A duplicate ACK (RFC 5681 §2); a closed window is no evidence of loss.
            onDupAck(now);
        }
        return true;
    }

    private void onNewAck(TcpHeader seg, int ack, long now) {
        int acked = ack - sndUna;
        int flightBefore = sndMax - sndUna;
        if (rtoUndoPending) {
            rtoUndoPending = false;
            if (seg.hasTimestamps && seg.tsEcr != 0 && SeqNum.lt(seg.tsEcr, rtoUndoTs)) {
                onSpuriousTimeout(seg, now);
                flightBefore = sndMax - sndUna;
            }
        }
        if (rttTiming && SeqNum.ge(ack, rttSeq)) {
            rtt.sample(now - rttStart);
            rttTiming = false;
        } else if (tsOk && seg.hasTimestamps && seg.tsEcr != 0 && retries > 0 && SeqNum.ge(seg.tsEcr, retransmitTs)) {
            // Karn with timestamps: only an echo of a segment sent since the timeout measures
            // the path; older echoes would fold the timeout's wait into SRTT.
            long rttMs = tsNow(now) - seg.tsEcr;
            if (rttMs >= 0 && rttMs < 3_600_000) rtt.sample(rttMs * 1_000_000L);
        }
        int dataAcked = acked;
        boolean finAcked = finQueued && SeqNum.gt(ack, finSeq);
        if (finAcked) dataAcked--;
        if (sendBuf != null && dataAcked > 0) sendBuf.consume(Math.min(dataAcked, sendBuf.size()));
        sndUna = ack;
        if (urgentMode && SeqNum.ge(sndUna, sndUp)) urgentMode = false;
        if (SeqNum.lt(sndNxt, sndUna)) sndNxt = sndUna;
        if (SeqNum.lt(highRxt, sndUna)) highRxt = sndUna;
        retries = 0;
        if (scoreboard != null) scoreboard.onCumulativeAck(ack);
        if (inRecovery) {
            if (SeqNum.ge(ack, recover)) {
                inRecovery = false;
                dupAcks = 0;
                cc.onExitRecovery(sndMax - sndUna);
            } else if (scoreboard == null) {
                cc.onPartialAck(acked);
                retransmitAt(sndUna, now); // RFC 6582: the next hole
            }
        } else {
            dupAcks = 0;
            if (cc != null) cc.onAck(acked, flightBefore, now, rtt.srttNanos());
        }
        if (sndUna == sndMax) rtoAt = NONE;
        else armRetransmitTimer(now);
        if (finAcked) onFinAcked(now);
        notifyApp();
    }

    /**
     * The first ACK after a timeout echoes a TS value sent before it: the original transmission
     * got through, only its ACK was late (a CPU stall here or at the peer, a queue), so the
     * timeout was spurious (Eifel detection, RFC 3522). Respond as RFC 4015 does: undo the window
     * reduction and go on with new data instead of resending what the peer already has. (No RTT
     * sample from the echo: a peer holding a hole echoes an old TS value for long, and such a
     * sample stalled a lossy transfer behind a huge RTO: TcpEndToEndTest.)
     */
    private void onSpuriousTimeout(TcpHeader seg, long now) {
        stack.counters.increment(Counter.TCP_SPURIOUS_RTOS);
        if (cc != null) cc.undo(rtoUndoCwnd, rtoUndoSsthresh);
        recover = sndUna;  // the timeout's recovery point goes too: a real loss may start fast recovery again
        sndNxt = sndMax;
    }

    private void onDupAck(long now) {
        dupAcks++;
        if (cc == null) return;
        if (!inRecovery) {
            // RFC 5681: the third duplicate; RFC 6675: or more than DupThresh−1 segments SACKed above a hole
            boolean lost = dupAcks >= 3 || scoreboard != null && scoreboard.sackedBytes() > 2L * sendMss;
            if (lost && SeqNum.gt(sndUna, recover)) {
                inRecovery = true;
                recover = sndMax;
                highRxt = sndUna;
                cc.onEnterRecovery(sndMax - sndUna, now);
                rttTiming = false;
                stack.counters.increment(Counter.TCP_FAST_RETRANSMITS);
                retransmitAt(sndUna, now);
                rtoAt = now + rtt.rtoNanos();
                probeArmed = false;
            }
        } else if (scoreboard == null) {
            cc.onDupAckInRecovery();
        }
    }

    private void onFinAcked(long now) {
        switch (state) {
            case FIN_WAIT_1 -> {
                state = TcpState.FIN_WAIT_2;
                if (appClosed) closeAt = now + stack.config.timeWaitNanos;
            }
            case CLOSING -> enterTimeWait(now);
            case LAST_ACK -> closeNow();
            default -> { }
        }
    }

    private void processData(int seq, MemorySegment mem, long payOff, int payLen, long now) {
        if (state != TcpState.ESTABLISHED && state != TcpState.FIN_WAIT_1 && state != TcpState.FIN_WAIT_2) return;
        if (appClosed) {
            // RFC 2525 / Linux: data for a socket the application closed is answered with RST.
            sendRstNow();
            closeNow();
            return;
        }
        int off = seq - rcvNxt;
        if (off + payLen <= 0) {
            stack.counters.increment(Counter.TCP_DUPLICATE_SEGMENTS);
            ackNow = true;
            return;
        }
        ReceiveBuffer rb = recvBuffer();
        boolean hadHoles = rb.hasOutOfOrder();
        if (off > 0) {
            stack.counters.increment(Counter.TCP_OUT_OF_ORDER);
            ackNow = true;
        }
        TcpConnection sender = stack.payloadSender;
        int advanced = sender != null ? sender.sendBuf.transferTo(seq - sender.sndUna, rb, off, payLen)
                : stack.insertPayload(rb, off, mem, payOff, payLen);
        if (advanced > 0) {
            rcvNxt += advanced;
            rcvSpace.onDataReceived(rcvNxt, rcvAdv - lastAckSent, now); // the window size last offered
            lastDataAt = now;
            if (hadHoles) ackNow = true; // filling a hole: ACK at once (RFC 5681 §4.2)
            if (inputShutdown) rb.skip(rb.readable());
            bytesToAck += advanced;
            // shorter than the peer's full segments; before any, Linux takes 536 bytes as full
            if (payLen < Math.max(rcvMss, Math.min(DEFAULT_RCV_MSS, ourMss))) pushedSinceAck = true;
            if (payLen > rcvMss) rcvMss = Math.min(payLen, ourMss);
            if (bytesToAck >= 2 * rcvMss) {
                ackNow = true;
            } else if (quickAcksLeft > 0) {
                quickAcksLeft--;
                ackNow = true;
            } else if (delackAt == NONE) {
                delackAt = now + stack.config.delayedAckNanos;
            }
            notifyApp();
        } else if (off <= 0) {
            ackNow = true; // nothing new fitted (zero-window probe): tell the sender our window
        }
    }

    private void onUrgentPointer(int seq, int pointer) {
        boolean readable = recvBuf != null && recvBuf.readable() > 0 && !inputShutdown;
        if (urgentMark.onPointer(seq, pointer, readSeq(), rcvNxt, opts.oobInline, readable)) {
            recvBuf.skip(1); // the older urgent byte the reader stands on, out of band: gone, as on Linux
        }
        notifyApp();
    }

    /** The sequence number of the next byte the application reads (Linux's copied_seq). */
    private int readSeq() {
        return rcvNxt - (finReceived ? 1 : 0) - (recvBuf == null ? 0 : recvBuf.readable());
    }

    private void checkPeerFin(long now) {
        if (!peerFinPending || finReceived || peerFinSeq != rcvNxt) return;
        finReceived = true;
        rcvNxt++;
        ackNow = true;
        switch (state) {
            case SYN_RECEIVED, ESTABLISHED -> state = TcpState.CLOSE_WAIT;
            case FIN_WAIT_1 -> {
                if (finQueued && sndUna == finSeq + 1) enterTimeWait(now);
                else state = TcpState.CLOSING;
            }
            case FIN_WAIT_2 -> enterTimeWait(now);
            default -> { }
        }
        notifyApp();
    }

    private void onReset() {
        switch (state) {
            case SYN_RECEIVED -> {
                if (activeOpen) failConnect(new ConnectException("Connection refused"));
                else closeNow();
            }
            case ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT -> {
                error = new SocketException("Connection reset");
                closeNow();
            }
            default -> closeNow();
        }
    }

    private void challengeAck(long now) {
        if (stack.allowChallengeAck(now)) {
            stack.counters.increment(Counter.TCP_CHALLENGE_ACKS);
            ackNow = true;
        }
    }

    /** ICMP port/protocol unreachable for our SYN (RFC 1122 §4.2.3.9: a hard error only then). */
    void onDestinationUnreachable(int code) {
        if (state == TcpState.SYN_SENT && (code == 2 || code == 3)) {
            failConnect(new ConnectException("Connection refused"));
        }
    }

    // =====================================================================================
    // Output

    /** Sends what the windows, Nagle and SWS avoidance allow, then a pure ACK if one is owed. */
    void output(long now) {
        boolean sent = false;
        if (canSendData()) {
            boolean sackRecovery = inRecovery && scoreboard != null;
            if (sackRecovery) sent = sackRecoveryOutput(now);
            while (true) {
                int buffered = sendBuf == null ? 0 : sendBuf.size();
                int offset = sndNxt - sndUna;
                int unsent = Math.max(0, buffered - offset);
                boolean finToSend = finQueued && SeqNum.le(sndNxt, finSeq);
                if (unsent == 0 && !finToSend) break;
                int flight = sndNxt - sndUna;
                long usable = (long) sndWnd - flight;
                if (cc != null) {
                    // RFC 6675: during SACK recovery the pipe estimate, not the flight, meets ssthresh
                    long cwnd = sackRecovery ? cc.ssthresh() : cc.cwnd();
                    long pipe = sackRecovery ? pipe() : flight;
                    usable = Math.min(usable, cwnd - pipe);
                }
                int len = (int) Math.max(0, Math.min(Math.min(unsent, maxSegmentLength()), usable));
                boolean nagle = !opts.noDelay && !finQueued && !urgentMode && flight > 0 && smallSegmentUnacked();
                if (len > sendMss && len % sendMss != 0 && (len < unsent || nagle)) {
                    // a TSO send is whole segments; a short tail waits its turn (window, Nagle) as one would alone
                    len -= len % sendMss;
                }
                if (unsent > 0 && len == 0) break;
                if (len < unsent && len < sendMss && len < maxSndWnd / 2 && !swsOverride) break; // sender SWS avoidance
                if (len > 0 && len < sendMss && len == unsent && nagle) break; // Nagle
                boolean fin = finToSend && len == unsent && (long) sndWnd - flight - len >= 1;
                if (len == 0 && !fin) break;
                int flags = ACK | (fin ? FIN : 0) | (len > 0 && len == unsent ? PSH : 0);
                if (!transmit(sndNxt, flags, offset, len, now)) break;
                sent = true;
                swsOverride = false;
                len = lastLen; // SACK blocks may have left less room than sendMss
                fin = lastFin;
                if (SeqNum.lt(sndNxt, sndMax)) {
                    stack.counters.increment(Counter.TCP_RETRANSMITS);
                } else if (!rttTiming && len > 0) {
                    rttTiming = true;
                    rttSeq = sndNxt + len;
                    rttStart = now;
                }
                sndNxt += len + (fin ? 1 : 0);
                if (len % sendMss != 0 && SeqNum.gt(sndNxt, sndMax)) sndSml = sndNxt; // new data only, as Linux
                // an answer within a delayed-ACK time of the data it answers: interactive (tcp_event_data_sent)
                if (len > 0 && SeqNum.gt(sndNxt, sndMax) && lastDataAt != Long.MIN_VALUE
                        && now - lastDataAt < stack.config.delayedAckNanos) pingpong = true;
                if (SeqNum.gt(sndNxt, sndMax)) sndMax = sndNxt;
                if (rtoAt == NONE) armRetransmitTimer(now);
                persistAt = NONE;
            }
            int buffered = sendBuf == null ? 0 : sendBuf.size();
            boolean pending = buffered > sndNxt - sndUna || finQueued && SeqNum.le(sndNxt, finSeq);
            // Nothing in flight yet data waits (closed window, or a window too small for sender SWS
            // avoidance): only a timer can get things moving again if no window update comes.
            if (pending && sndNxt == sndUna && rtoAt == NONE && persistAt == NONE) {
                persistAt = now + persistInterval();
            }
        }
        if (ackNow && !sent && state != TcpState.CLOSED && state != TcpState.SYN_SENT) {
            // SND.MAX, not SND.NXT: after a timeout rewound SND.NXT the peer may already hold
            // everything up to SND.MAX, and an ACK below its RCV.NXT would be dropped unread.
            transmit(sndMax, ACK, 0, 0, now);
        }
    }

    /**
     * Nagle as Linux applies it (Minshall's variant, tcp_minshall_check): a short segment waits only
     * while an earlier short segment is unacknowledged. Full-sized segments in flight do not hold
     * it back, so a write of one MSS and a bit goes out whole instead of waiting for the peer's
     * delayed ACK of the full segment (RFC 1122 §4.2.3.4's rule, which Linux relaxes so).
     */
    private boolean smallSegmentUnacked() {
        return SeqNum.gt(sndSml, sndUna) && SeqNum.le(sndSml, sndNxt);
    }

    private boolean canSendData() {
        return switch (state) {
            case ESTABLISHED, CLOSE_WAIT, FIN_WAIT_1, CLOSING, LAST_ACK -> true;
            default -> false;
        };
    }

    /** RFC 6675 pipe: un-SACKed bytes above the highest SACK plus the holes we retransmitted. */
    private long pipe() {
        int hs = scoreboard.highestSacked(sndUna);
        long p = sndMax - hs;
        int limit = SeqNum.min(highRxt, hs);
        int from = sndUna;
        int[] end = stack.holeEnd;
        while (SeqNum.lt(from, limit)) {
            long h = scoreboard.nextHole(from, sndUna, end);
            if (h == -1L || SeqNum.ge((int) h, limit)) break;
            p += SeqNum.min(end[0], limit) - (int) h;
            from = end[0];
        }
        return Math.max(0, p);
    }

    /** During SACK recovery: retransmit the holes (lowest first) while the pipe has room. */
    private boolean sackRecoveryOutput(long now) {
        boolean sent = false;
        int[] end = stack.holeEnd;
        while (pipe() < cc.ssthresh()) {
            long h = scoreboard.nextHole(highRxt, sndUna, end);
            if (h == -1L) break;
            int start = (int) h;
            int len = Math.min(sendMss, end[0] - start);
            if (len <= 0 || !retransmitRange(start, len, now)) break;
            stack.counters.increment(Counter.TCP_SACK_RETRANSMITS);
            highRxt = lastRetransmitEnd;
            sent = true;
        }
        return sent;
    }

    /** Retransmits one segment starting at {@code seq} (fast retransmit, partial ACK). */
    private void retransmitAt(int seq, long now) {
        int buffered = sendBuf == null ? 0 : sendBuf.size();
        int offset = seq - sndUna;
        int len = Math.min(sendMss, Math.min(buffered - offset, sndMax - seq));
        if (len > 0) {
            if (retransmitRange(seq, len, now)) highRxt = SeqNum.max(highRxt, lastRetransmitEnd);
        } else if (finQueued && seq == finSeq) {
            if (transmit(seq, ACK | FIN, 0, 0, now)) stack.counters.increment(Counter.TCP_RETRANSMITS);
        }
    }

    private boolean retransmitRange(int seq, int len, long now) {
        int offset = seq - sndUna;
        int buffered = sendBuf == null ? 0 : sendBuf.size();
        len = Math.min(len, buffered - offset);
        if (len <= 0) return false;
        if (!transmit(seq, ACK | PSH, offset, len, now)) return false;
        stack.counters.increment(Counter.TCP_RETRANSMITS);
        lastRetransmitEnd = seq + lastLen;
        return true;
    }

    /**
     * Builds and sends one segment: options, window, payload copied from the send buffer straight
     * into the device's memory, checksum. False when the interface had no buffer: the caller
     * keeps its state and a retry is armed.
     */
    /** Set by the persist timer: send one window-limited small segment despite sender SWS avoidance. */
    private boolean swsOverride;
    private int lastLen;
    private boolean lastFin;
    private int lastRetransmitEnd;

    /**
     * The most payload one send may carry: an MSS, or with TCP segmentation offload as much as
     * the device's largest packet holds beside the headers (it cuts that into MSS-sized segments).
     */
    private int maxSegmentLength() {
        int tso = stack.egress.segmentationMaxBytes();
        return tso == 0 ? sendMss : Math.max(sendMss, tso - Ipv4Header.MIN_LENGTH - TcpHeader.MAX_LENGTH);
    }

    private boolean transmit(int seq, int flags, int bufOffset, int len, long now) {
        // not while urgent: each segment cut from one packet would carry the same urgent pointer
        boolean segmented = len > sendMss && !urgentMode && stack.egress.beginSegmented(localIp, remoteIp);
        if (!segmented && !stack.egress.begin(localIp, remoteIp, 6)) {
            if (retryAt == NONE) retryAt = now + TcpStack.RETRY_NANOS;
            if ((flags & ~ACK) == 0 || len == 0) ackNow = true; // still owed
            return false;
        }
        if (opts.typeOfService != 0) stack.egress.ipFields(-1, opts.typeOfService, true);
        MemorySegment m = stack.egress.memory();
        long o = stack.egress.l4Offset();
        TcpHeader h = stack.txHeader.wrap(m, o);
        int hl;
        int window;
        int tsVal = tsNow(now);
        if ((flags & SYN) != 0) {
            TcpConfig cfg = stack.config;
            boolean synAck = (flags & ACK) != 0;
            boolean ts = synAck ? tsOk : cfg.timestamps;
            boolean sack = synAck ? sackOk : cfg.sack;
            int ws = (synAck ? wsOk : cfg.windowScaling) ? rcvShift : -1;
            hl = h.putSynOptions(ourMss, sack, ts, tsVal, synAck && tsOk ? tsRecent : 0, ws);
            window = Math.min(recvBufSize, 65535);
            if (rcvAdv == 0 || SeqNum.lt(rcvAdv, rcvNxt + window)) rcvAdv = rcvNxt + window;
            if (!synAck) rttStart = now;
            else if (retries == 0) rttStart = now;
        } else {
            int n = 0;
            if (sackOk && recvBuf != null && (flags & RST) == 0 && recvBuf.hasOutOfOrder()) {
                int[] blocks = stack.sackScratch;
                n = recvBuf.sackBlocks(blocks, tsOk ? 3 : 4);
                for (int i = 0; i < n; i++) {
                    stack.sackLeft[i] = rcvNxt + blocks[2 * i];
                    stack.sackRight[i] = rcvNxt + blocks[2 * i + 1];
                }
            }
            hl = h.putSegmentOptions(tsOk, tsVal, tsRecent, stack.sackLeft, stack.sackRight, n);
            window = windowField();
        }
        int cap = stack.egress.l4Capacity() - hl;
        if (len > cap) {
            len = cap; // the rest goes in the next segment, and so does the FIN
            flags &= ~(FIN | PSH);
        }
        lastLen = len;
        lastFin = (flags & FIN) != 0;
        int urgentPointer = 0;
        if (urgentMode && (flags & (SYN | RST)) == 0 && SeqNum.lt(seq, sndUp)) {
            // as Linux: the pointer if it fits in 16 bits, else 0xFFFF while it lies beyond what is sent
            if (sndUp - seq <= 0xFFFF) urgentPointer = sndUp - seq;
            else if (SeqNum.gt(seq + 0xFFFF, sndNxt)) urgentPointer = 0xFFFF;
            if (urgentPointer != 0) flags |= URG;
        }
        h.srcPort(localPort).dstPort(remotePort).seq(seq).ack((flags & ACK) != 0 ? rcvNxt : 0)
                .headerLength(hl).flags(flags).window(window).checksum(0).urgent(urgentPointer);
        // To one of our own connections the payload stays in our ring: the receiver copies it from there.
        boolean byReference = len > 0 && stack.egress.openIsLocal();
        if (len > 0 && !byReference) sendBuf.copyOut(bufOffset, m, o + hl, len);
        if (segmented) {
            // every segment the device cuts repeats this header, options included, within the MTU
            stack.finishSegmented(hl + len, Math.min(sendMss, stack.egress.mtu() - Ipv4Header.MIN_LENGTH - hl), len);
        } else {
            stack.finish(m, o, hl + len, localIp, remoteIp, byReference ? this : null);
        }
        if ((flags & ACK) != 0) {
            lastAckSent = rcvNxt;
            ackNow = false;
            delackAt = NONE;
            bytesToAck = 0;
            pushedSinceAck = false;
        }
        return true;
    }

    /** The window field to advertise, with receiver SWS avoidance; moves rcvAdv (never left). */
    private int windowField() {
        int avail = receiveSpace();
        int right = rcvNxt + avail;
        int minIncrease = Math.min(rcvSpace.space() / 2, ourMss);
        if (SeqNum.gt(right, rcvAdv) && (right - rcvAdv >= minIncrease || SeqNum.le(rcvAdv, rcvNxt) && avail >= minIncrease)) {
            rcvAdv = right;
        }
        int wnd = Math.max(0, rcvAdv - rcvNxt);
        int field = Math.min(wnd >>> rcvShift, 65535);
        return field;
    }

    /**
     * Free receive space under the tuned window, capped at what the window field can express.
     * While the stack's buffer memory is exhausted, no more than the connection's chunks can hold
     * (Linux clamps its window under memory pressure too); the right edge still never moves left.
     */
    private int receiveSpace() {
        int readable = recvBuf != null ? recvBuf.readable() : 0;
        int avail = Math.max(0, rcvSpace.space() - readable);
        if (stack.pool.exhausted()) {
            avail = Math.min(avail, recvBuf != null ? recvBuf.spaceWithoutNewChunks() : ChunkPool.CHUNK_SIZE);
        }
        return Math.min(avail, 65535 << rcvShift);
    }

    /**
     * Our timestamp clock (1 ms ticks). Never goes back: callers pass a {@code now} read at
     * different moments (the poll loop's, an application thread's), and a TSval lower than one
     * already sent would be dropped by the peer's PAWS check.
     */
    int tsNow(long now) {
        int ts = (int) (now / 1_000_000L) + tsOffset;
        if (tsClockStarted && SeqNum.lt(ts, lastTsVal)) return lastTsVal;
        tsClockStarted = true;
        lastTsVal = ts;
        return ts;
    }

    private void sendRstNow() {
        stack.sendReset(localIp, remoteIp, localPort, remotePort, sndMax, rcvNxt, true);
    }

    private void queueFin(long now) {
        if (finQueued) return;
        finQueued = true;
        finSeq = sndUna + (sendBuf == null ? 0 : sendBuf.size());
        switch (state) {
            case ESTABLISHED -> state = TcpState.FIN_WAIT_1;
            case CLOSE_WAIT -> state = TcpState.LAST_ACK;
            default -> { }
        }
        output(now);
    }

    private long persistInterval() {
        long base = Math.max(rtt.rtoNanos(), stack.config.minRtoNanos);
        return Math.min(base << Math.min(persistBackoff, 20), stack.config.maxRtoNanos);
    }

    // =====================================================================================
    // Timers

    /** The earliest armed deadline. */
    long earliestDeadline() {
        long d = rtoAt;
        if (persistAt < d) d = persistAt;
        if (delackAt < d) d = delackAt;
        if (keepAliveAt < d) d = keepAliveAt;
        if (closeAt < d) d = closeAt;
        if (retryAt < d) d = retryAt;
        return d;
    }

    void onTimers(long now) {
        if (closeAt <= now) {
            closeAt = NONE;
            if (state == TcpState.TIME_WAIT || state == TcpState.FIN_WAIT_2) {
                closeNow();
                return;
            }
        }
        if (retryAt <= now) retryAt = NONE;
        if (rtoAt <= now) {
            rtoAt = NONE;
            if (probeArmed) {
                probeArmed = false;
                onProbeTimeout(now);
            } else {
                onRetransmissionTimeout(now);
                if (state == TcpState.CLOSED) return;
            }
        }
        if (persistAt <= now) {
            persistAt = NONE;
            onPersist(now);
        }
        if (delackAt <= now) {
            delackAt = NONE;
            ackNow = true;
            pingpong = false;  // the delayed ACK was missed: no answer carried it, so not interactive
            stack.counters.increment(Counter.TCP_DELAYED_ACKS);
        }
        if (keepAliveAt <= now) {
            keepAliveAt = NONE;
            onKeepAlive(now);
            if (state == TcpState.CLOSED) return;
        }
        output(now);
        stack.reschedule(this);
    }

    private void onRetransmissionTimeout(long now) {
        TcpConfig cfg = stack.config;
        retries++;
        if (state == TcpState.SYN_SENT || state == TcpState.SYN_RECEIVED) {
            if (retries > cfg.synRetries) {
                stack.counters.increment(Counter.TCP_CONNECTION_TIMEOUTS);
                if (state == TcpState.SYN_SENT || activeOpen) failConnect(new ConnectException("Connection timed out"));
                else closeNow();
                return;
            }
            stack.counters.increment(Counter.TCP_RTO_TIMEOUTS);
            stack.counters.increment(Counter.TCP_RETRANSMITS);
            stack.counters.increment(Counter.TCP_SYN_RETRANSMITS);
            rtt.backoff();
            sendSyn(now);
            rtoAt = now + rtt.rtoNanos();
            return;
        }
        if (sndUna == sndMax) return; // nothing outstanding (raced with an ACK)
        if (sndWnd == 0) {
            // The peer is alive and closed its window: what is outstanding lies beyond it. Probe
            // (persist) instead of counting timeouts towards dropping the connection.
            retries--;
            sndNxt = sndUna;
            rttTiming = false;
            persistAt = now + persistInterval();
            return;
        }
        if (retries > cfg.dataRetries) {
            stack.counters.increment(Counter.TCP_CONNECTION_TIMEOUTS);
            dropWithTimeout();
            return;
        }
        stack.counters.increment(Counter.TCP_RTO_TIMEOUTS);
        if (retries == 1 && tsOk && cc != null) {
            rtoUndoPending = true;
            rtoUndoTs = tsNow(now);
            rtoUndoCwnd = cc.cwnd();
            rtoUndoSsthresh = cc.ssthresh();
        }
        if (cc != null && retries == 1) cc.onTimeout(sndMax - sndUna, now);
        else if (cc != null) cc.onTimeout(2L * sendMss, now);
        rtt.backoff();
        rttTiming = false;
        retransmitTs = tsNow(now);
        inRecovery = false;
        dupAcks = 0;
        recover = sndMax;
        if (scoreboard != null) scoreboard.clear();
        sndNxt = sndUna; // go back: resend from the oldest unacknowledged byte
        highRxt = sndUna;
        swsOverride = true; // a retransmission is never held back for a small window
        output(now);
        swsOverride = false;
        if (rtoAt == NONE) rtoAt = now + rtt.rtoNanos();
    }

    /**
     * Arms the retransmission timer, or the tail loss probe's timeout when a probe may go first
     * (RFC 8985 §7.2): SACK on, an RTT measured, no recovery or timeout under way. The probe timeout
     * is 2·SRTT plus 10 ms, plus 200 ms instead when one segment is in flight (its ACK may be
     * delayed), and only when shorter than the RTO: with the 200 ms RTO floor a lost last segment
     * of a flight is then resent after about 10 ms, not 200.
     */
    private void armRetransmitTimer(long now) {
        long rto = rtt.rtoNanos();
        probeArmed = false;
        rtoAt = now + rto;
        if (!sackOk || !rtt.hasSample() || inRecovery || retries > 0 || cc == null) return;
        long pto = 2 * rtt.srttNanos() + (sndMax - sndUna <= sendMss ? TLP_DELAYED_ACK_NANOS : TLP_MARGIN_NANOS);
        if (pto < rto) {
            rtoAt = now + pto;
            probeArmed = true;
        }
    }

    /**
     * No ACK for 2·SRTT: send the last segment again (RFC 8985 §7.3), so that a lost tail is
     * reported by the probe's ACK (its SACK, or a cumulative ACK) instead of waiting for the RTO,
     * which is armed next. One probe per flight: a new ACK arms the next one.
     */
    private void onProbeTimeout(long now) {
        rtoAt = now + rtt.rtoNanos();
        if (sndUna == sndMax || sndWnd == 0 || !canSendData()) return;
        stack.counters.increment(Counter.TCP_TLP_PROBES);
        int dataEnd = finQueued && SeqNum.gt(sndMax, finSeq) ? finSeq : sndMax;
        int len = Math.min(sendMss, dataEnd - sndUna);
        rttTiming = false; // Karn: the probe may repeat the timed segment
        if (len > 0) retransmitRange(dataEnd - len, len, now);
        else retransmitAt(finSeq, now);
    }

    private void onPersist(long now) {
        int buffered = sendBuf == null ? 0 : sendBuf.size();
        boolean pending = buffered > sndNxt - sndUna || finQueued && SeqNum.le(sndNxt, finSeq);
        if (!pending || !canSendData()) return;
        if (sndWnd > 0) {
            swsOverride = true; // RFC 9293 §3.8.6.2.1: the override timeout sends what the window allows
            output(now);
            swsOverride = false;
            return;
        }
        // A Linux-style probe: an old sequence number the peer must answer with its window.
        if (transmit(sndUna - 1, ACK, 0, 0, now)) stack.counters.increment(Counter.TCP_ZERO_WINDOW_PROBES);
        persistBackoff++;
        persistAt = now + persistInterval();
    }

    private void onKeepAlive(long now) {
        if (!opts.keepAlive || !(state == TcpState.ESTABLISHED || state == TcpState.CLOSE_WAIT)) return;
        long idle = keepAliveIdleNanos();
        // Any acceptable segment clears keepAliveProbesSent; the deadline is moved lazily here so
        // that receiving costs no heap update.
        if (keepAliveProbesSent == 0 && now - lastReceived < idle) {
            keepAliveAt = lastReceived + idle;
            return;
        }
        if (sndUna != sndMax) { // data in flight: the retransmission timer watches the peer
            keepAliveProbesSent = 0;
            keepAliveAt = now + idle;
            return;
        }
        if (keepAliveProbesSent >= keepAliveProbes()) {
            stack.counters.increment(Counter.TCP_CONNECTION_TIMEOUTS);
            dropWithTimeout();
            return;
        }
        if (transmit(sndUna - 1, ACK, 0, 0, now)) stack.counters.increment(Counter.TCP_KEEPALIVES_SENT);
        keepAliveProbesSent++;
        keepAliveAt = now + keepAliveIntervalNanos();
    }

    /** TCP_KEEPIDLE, else the stack's keepAliveIdle. */
    private long keepAliveIdleNanos() {
        return opts.keepAliveIdleSeconds > 0 ? opts.keepAliveIdleSeconds * 1_000_000_000L : stack.config.keepAliveIdleNanos;
    }

    /** TCP_KEEPINTERVAL, else the stack's keepAliveInterval. */
    private long keepAliveIntervalNanos() {
        return opts.keepAliveIntervalSeconds > 0 ? opts.keepAliveIntervalSeconds * 1_000_000_000L
                : stack.config.keepAliveIntervalNanos;
    }

    /** TCP_KEEPCOUNT, else the stack's keepAliveProbes. */
    private int keepAliveProbes() {
        return opts.keepAliveProbes > 0 ? opts.keepAliveProbes : stack.config.keepAliveProbes;
    }

    private void dropWithTimeout() {
        sendRstNow();
        error = new SocketException("Connection timed out");
        closeNow();
    }

    // =====================================================================================
    // Closing

    private void enterTimeWait(long now) {
        state = TcpState.TIME_WAIT;
        rtoAt = NONE;
        persistAt = NONE;
        keepAliveAt = NONE;
        closeAt = now + stack.config.timeWaitNanos;
        releaseBuffers(true);
        rtt = null;
        cc = null;
        scoreboard = null;
        stack.enteredTimeWait(this);
        notifyApp();
    }

    private void failConnect(IOException e) {
        connectFailure = e;
        closeNow();
    }

    /** To CLOSED: out of the table, the heap and the port space; buffers freed; waiters woken. */
    void closeNow() {
        if (state == TcpState.CLOSED) return;
        TcpState old = state;
        state = TcpState.CLOSED;
        rtoAt = persistAt = delackAt = keepAliveAt = closeAt = retryAt = NONE;
        ackNow = false;
        // bytes that arrived before a reset or a timeout are still read first, as on Linux; a
        // device failure (discardUnread) takes them with it
        releaseBuffers(!appClosed && !discardUnread);
        stack.removed(this, old);
        if (listener != null) {
            listener.removed(this);
            listener = null;
        }
        notifyApp();
    }

    /** Whether our send ring still holds the {@code length} bytes from sequence number {@code seq} (a local segment's payload). */
    boolean holdsPayload(int seq, int length) {
        int offset = seq - sndUna;
        return sendBuf != null && offset >= 0 && (long) offset + length <= sendBuf.size();
    }

    /** Frees the rings; {@code keepUnread} keeps received data the application has yet to read. */
    private void releaseBuffers(boolean keepUnread) {
        if (sendBuf != null) {
            sendBuf.close();
            sendBuf = null;
        }
        if (recvBuf != null && !(keepUnread && recvBuf.readable() > 0 && !inputShutdown)) {
            recvBuf.close();
            recvBuf = null;
        }
    }

    private ReceiveBuffer recvBuffer() {
        if (recvBuf == null) recvBuf = new ReceiveBuffer(stack.pool, recvBufSize);
        return recvBuf;
    }

    void notifyApp() {
        if (notification != null) stack.lock.schedule(notification);
    }

    // =====================================================================================
    // Application API

    /**
     * Sets what to schedule (with {@code StackLock.schedule}) whenever {@link #readyOps()} may have
     * changed: data or FIN arrived, send space freed, the connection completed, failed or was reset.
     */
    public void setNotification(Notification n) {
        this.notification = n;
    }

    /** {@link java.nio.channels.SelectionKey} bits: OP_CONNECT once connect finished or failed; OP_READ when read would not return 0 (data, EOF, error); OP_WRITE when write would accept bytes or throw. */
    public int readyOps() {
        int ops = 0;
        if (activeOpen && state != TcpState.SYN_SENT && state != TcpState.SYN_RECEIVED) ops |= SelectionKey.OP_CONNECT;
        boolean failed = error != null || connectFailure != null;
        if (failed || finReceived || inputShutdown || readableBytes() > 0
                || (state == TcpState.CLOSED && established)) {
            ops |= SelectionKey.OP_READ;
        }
        if (failed || outputShutdown || state == TcpState.CLOSED && established
                || established && (sendBuf == null || sendBuf.free() > 0)) {
            ops |= SelectionKey.OP_WRITE;
        }
        return ops;
    }

    public TcpState state() {
        return state;
    }

    /** True once the handshake completed (and stays true through the closing states). */
    public boolean isEstablished() {
        return established;
    }

    /** The reason an active open failed (ConnectException "Connection refused", or timed out), or null. */
    public IOException connectFailure() {
        return connectFailure;
    }

    /** Bytes a read would return now: the urgent byte it would skip (not inline) not counted, as Linux's poll counts. */
    private int readableBytes() {
        if (recvBuf == null) return 0;
        int n = recvBuf.readable();
        return n > 0 && !opts.oobInline && urgentMark.at(readSeq()) ? n - 1 : n;
    }

    /**
     * Copies received bytes: count, 0 if none yet, -1 at end of stream. After a RST (or a timeout)
     * the bytes that arrived before it are read first, then SocketException("Connection reset"), as
     * Linux's tcp_recvmsg copies queued data before it reports the socket's error. A read stops in
     * front of the urgent byte; the next one skips it, or returns it with SO_OOBINLINE (Linux).
     */
    public int read(ByteBuffer dst) throws IOException {
        if (recvBuf != null && recvBuf.readable() > 0 && !inputShutdown) {
            boolean skipped = !opts.oobInline && urgentMark.at(readSeq());
            if (skipped) recvBuf.skip(1);
            int n = recvBuf.readable() > 0 ? readToUrgentMark(dst) : 0;
            urgentMark.readTo(readSeq());
            if (recvBuf.readable() == 0 && (state == TcpState.TIME_WAIT || state == TcpState.CLOSED)) {
                recvBuf.close(); // the last bytes of a finished connection: keep TIME_WAIT compact
                recvBuf = null;
            } else if (n > 0 || skipped) {
                if (n > 0 && rcvSpace.growing()) rcvSpace.onRead(readSeq(), stack.clock.nanos());
                maybeAckAfterRead(n > 0 && recvBuf.readable() == 0);
            }
            if (n > 0 || !skipped) return n;
        }
        if (error != null) throw new SocketException(error.getMessage());
        if (finReceived || inputShutdown || state == TcpState.CLOSED) return -1;
        return 0;
    }

    private int readToUrgentMark(ByteBuffer dst) {
        int limit = dst.limit();
        int before = urgentMark.before(readSeq());
        if (before < dst.remaining()) dst.limit(dst.position() + before);
        try {
            return recvBuf.read(dst);
        } finally {
            dst.limit(limit);
        }
    }

    /**
     * After a read: ACK now if the window's right edge moved by enough (RFC 9293 §3.8.6.2.2), or,
     * as Linux's tcp_cleanup_rbuf, if the read drained what arrived while an ACK is delayed for a
     * short (pushed) segment: the sender may hold its next short segment until that ACK (Nagle).
     */
    private void maybeAckAfterRead(boolean drained) {
        if (state == TcpState.CLOSED || state == TcpState.TIME_WAIT || recvBuf == null) return;
        int right = rcvNxt + receiveSpace();
        int advertised = Math.max(0, rcvAdv - rcvNxt);
        int space = rcvSpace.space();
        int minIncrease = Math.min(space / 2, ourMss);
        boolean quick = drained && pushedSinceAck && delackAt != NONE && quickAck && !pingpong;
        if (quick || right - rcvAdv >= minIncrease && (advertised < minIncrease || right - rcvAdv >= space / 2)) {
            long now = stack.clock.nanos();
            ackNow = true;
            output(now);
            stack.reschedule(this);
        }
    }

    /** Bytes readable without waiting. */
    public int available() {
        return recvBuf == null || inputShutdown ? 0 : recvBuf.readable();
    }

    /** Copies into the send buffer and sends what windows allow: bytes taken, 0 if the buffer is full. SocketException after a reset ("Connection reset") or when the output was shut ("Broken pipe"). */
    public int write(ByteBuffer src) throws IOException {
        if (error != null) throw new SocketException(error.getMessage());
        if (outputShutdown || appClosed || state == TcpState.CLOSED || finQueued) throw new SocketException("Broken pipe");
        if (!src.hasRemaining()) return 0;
        if (sendBuf == null) sendBuf = new SendBuffer(stack.pool, sendBufSize);
        int n = sendBuf.write(src);
        if (n > 0 && established) {
            long now = stack.clock.nanos();
            if (sndUna == sndMax && cc != null && now - lastReceived > rtt.rtoNanos() && rtoAt == NONE) cc.onIdleRestart(now);
            output(now);
            stack.reschedule(this);
        }
        return n;
    }

    /**
     * Queues {@code src} (one byte, from Socket.sendUrgentData) as urgent data: its last byte is the
     * urgent one, the urgent pointer the byte after it (as Linux sends MSG_OOB). All or nothing: 0
     * when the send buffer has no room. Throws as {@link #write}.
     */
    public int writeUrgent(ByteBuffer src) throws IOException {
        int n = src.remaining();
        int buffered = sendBuf == null ? 0 : sendBuf.size();
        int free = sendBuf == null ? sendBufSize : sendBuf.free();
        if (error == null && !outputShutdown && !appClosed && state != TcpState.CLOSED && !finQueued) {
            if (n == 0 || free < n) return 0;
            sndUp = sndUna + buffered + n;
            urgentMode = true;
        }
        return write(src);
    }

    /** FIN after the queued data (half-close). */
    public void shutdownOutput() {
        if (outputShutdown) return;
        outputShutdown = true;
        if (state == TcpState.ESTABLISHED || state == TcpState.CLOSE_WAIT) {
            long now = stack.clock.nanos();
            queueFin(now);
            stack.reschedule(this);
        }
        notifyApp();
    }

    /** Further input is discarded; reads return -1. */
    public void shutdownInput() {
        if (inputShutdown) return;
        inputShutdown = true;
        if (recvBuf != null && recvBuf.readable() > 0) recvBuf.skip(recvBuf.readable());
        notifyApp();
    }

    /** The application closed the socket: graceful close (FIN), or RST when SO_LINGER is 0 or unread data remains. */
    public void close() {
        if (appClosed) return;
        appClosed = true;
        switch (state) {
            case CLOSED -> releaseBuffers(false); // unread bytes kept after a reset or the peer's close
            case TIME_WAIT, LAST_ACK, CLOSING -> { }
            case SYN_SENT -> closeNow();
            default -> {
                boolean unread = recvBuf != null && recvBuf.readable() > 0 && !inputShutdown;
                if (opts.lingerSeconds == 0 || unread) {
                    abort();
                    return;
                }
                inputShutdown = true;
                if (state == TcpState.SYN_RECEIVED) {
                    abort();
                    return;
                }
                if (!outputShutdown) shutdownOutput();
                else if (state == TcpState.FIN_WAIT_2) closeAt = stack.clock.nanos() + stack.config.timeWaitNanos;
                stack.reschedule(this);
            }
        }
    }

    /**
     * The stack's device went away: the connection fails at once with {@code cause}, without a RST
     * (nothing can be sent any more). Reads and writes then throw it, a pending connect throws it as
     * a ConnectException, and the waiters are woken (readiness: every operation is ready, to throw).
     */
    void fail(SocketException cause) {
        if (state == TcpState.CLOSED) return;
        discardUnread = true;
        if (activeOpen && !established) connectFailure = new ConnectException(cause.getMessage());
        else error = cause;
        closeNow();
    }

    /** Sends RST and drops the connection at once. */
    public void abort() {
        appClosed = true;
        if (state == TcpState.CLOSED) return;
        if (state != TcpState.SYN_SENT && state != TcpState.TIME_WAIT) sendRstNow();
        closeNow();
    }

    public int localIp() { return localIp; }
    public int localPort() { return localPort; }
    public int remoteIp() { return remoteIp; }
    public int remotePort() { return remotePort; }

    public void setNoDelay(boolean on) {
        opts.noDelay = on;
        if (on && established) {
            output(stack.clock.nanos());
            stack.reschedule(this);
        }
    }

    public void setKeepAlive(boolean on) {
        opts.keepAlive = on;
        if (on && established && keepAliveAt == NONE) {
            keepAliveAt = lastReceived + keepAliveIdleNanos();
            keepAliveProbesSent = 0;
        } else if (!on) {
            keepAliveAt = NONE;
        }
        stack.reschedule(this);
    }

    /**
     * TCP_KEEPIDLE (seconds, 0: the stack's). As Linux, a new idle time takes effect at once: an
     * idle timer not yet probing is re-armed from the last segment received.
     */
    public void setKeepAliveIdle(int seconds) {
        opts.keepAliveIdleSeconds = seconds;
        if (opts.keepAlive && established && keepAliveAt != NONE && keepAliveProbesSent == 0) {
            keepAliveAt = lastReceived + keepAliveIdleNanos();
            stack.reschedule(this);
        }
    }

    /** TCP_KEEPINTERVAL (seconds, 0: the stack's): from the next probe on. */
    public void setKeepAliveInterval(int seconds) {
        opts.keepAliveIntervalSeconds = seconds;
    }

    /** TCP_KEEPCOUNT (0: the stack's): checked when the next probe is due. */
    public void setKeepAliveProbes(int probes) {
        opts.keepAliveProbes = probes;
    }

    /** IP_TOS for the segments sent from now on. */
    public void setTypeOfService(int tos) {
        opts.typeOfService = tos;
    }

    /**
     * TCP_QUICKACK as Linux: on, what is owed is ACKed at once and the next {@link #QUICK_ACKS}
     * segments are ACKed as they arrive; then delayed ACKs resume (the option is not sticky). Off
     * (Linux's "pingpong" mode): ACKs are delayed.
     */
    public void setQuickAck(boolean on) {
        quickAck = on;
        quickAcksLeft = on ? QUICK_ACKS : 0;
        if (on) pingpong = false;
        if (on && delackAt != NONE && state != TcpState.CLOSED) {
            ackNow = true;
            output(stack.clock.nanos());
            stack.reschedule(this);
        }
    }

    /** SO_OOBINLINE: whether an urgent byte is read inline or skipped (see {@link #read}). */
    public void setOobInline(boolean on) {
        opts.oobInline = on;
        notifyApp(); // whether the urgent byte alone makes the socket readable changes
    }

    /** What TCP_QUICKACK reads: not in delayed-ACK ("pingpong") mode, as Linux reports it. */
    public boolean quickAck() {
        return quickAck;
    }

    /** SO_SNDBUF on an open connection: the send buffer holds at most that from now on, as Linux's. */
    public void setSendBufferSize(int bytes) {
        opts.sendBufferSize = bytes;
        sendBufSize = clampBuffer(bytes, stack.config);
        if (sendBuf != null) sendBuf.setCapacity(sendBufSize);
        notifyApp(); // writability may have changed
    }

    /**
     * SO_RCVBUF on an open connection: the window may open to that at once and is no longer tuned,
     * as Linux's. It is bounded by what the handshake's window scale can express, and never below
     * the bytes held plus the window already offered (a right edge is never moved left).
     */
    public void setReceiveBufferSize(int bytes) {
        opts.receiveBufferSize = bytes;
        int readable = recvBuf == null ? 0 : recvBuf.readable();
        int promised = readable + Math.max(0, rcvAdv - rcvNxt);
        recvBufSize = Math.max(promised, Math.min(clampBuffer(bytes, stack.config), 65535 << rcvShift));
        rcvSpace.fix(recvBufSize);
        if (recvBuf != null) recvBuf.setCapacity(recvBufSize);
        maybeAckAfterRead(false);
    }

    public void setLingerSeconds(int seconds) {
        opts.lingerSeconds = seconds;
    }

    public TcpSocketOptions options() {
        return opts.copy();
    }

    // Test and diagnostics hooks (package-private).
    RttEstimator rttEstimator() { return rtt; }
    CongestionControl congestionControl() { return cc; }
    int sendWindow() { return sndWnd; }

    @Override
    public String toString() {
        return "TcpConnection[" + io.dmm.stack.userspace.wire.Ipv4Address.toString(localIp) + ":" + localPort + " -> "
                + io.dmm.stack.userspace.wire.Ipv4Address.toString(remoteIp) + ":" + remotePort + " " + state + "]";
    }
}
