#!/usr/bin/env bash
# wrk-http.sh: the JDK's HttpServer (wrk/HelloHttpServer.java: its only setting keeps every connection), served twice in one run
#   userspace: under DMM's agent, on a userspace stack instance on a tap interface (the stack's own
#              "tap" driver, or with --device net_tap DPDK's net_tap PMD);
#   kernel:    on the plain JDK, on Linux, over a veth pair;
# each loaded by wrk (Debian's package) from a network namespace of its own. For every workload it
# reports requests/s of both and their ratio (userspace / kernel), p50 and p99 of both, wrk's
# errors, and the RTO timeouts of both server sides during the measured run (the stack's
# tcp_rto_timeouts counter; Linux's TCPTimeouts in the kernel server's own namespace).
#
# usage: sudo ./dmm bench wrk-http [--duration S] [--warmup S] [--threads N] [--workloads LIST] [--device D]
#                                  [--rounds R]
#   LIST: comma-separated BYTES:CONNECTIONS (default 64:50,64:400,65536:50)
#   D: tap (default: the stack's own tap driver, no DPDK needed) or net_tap (DPDK's PMD)
#   R: runs of each workload (default 1), kernel and userspace in turn, one row each; with R > 1 a
#      line of medians follows (ratio, p99s): single runs on a busy machine differ by 5-10%
#   WRK_HTTP_JVM_OPTS: both servers' JVM options (default "-Xms1g -Xmx1g -XX:+AlwaysPreTouch": a
#      heap G1 does not grow during the runs, whose first touches were in one run 7% of the machine)
#   WRK_HTTP_VERBOSE=1 also prints wrk's own output of every run (error kinds, latency spread)
#   WRK_HTTP_STACK_SETTINGS='"idle": "backoff"' adds keys to the userspace instance's settings
# Root (namespaces, interfaces, the tap). JAVA must be a JDK 25 java (./dmm finds one and sets
# it); DMM_AGENT_JAR defaults to dmm-agent/target/dmm-agent.jar. Everything it makes (namespaces,
# interfaces, server JVMs, /var/run/dpdk/dmm-<pid>, its temporary directory) is removed when it
# ends, however it ends. Results: docs/benchmarks.md.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
SERVER_SRC="$HERE/wrk/HelloHttpServer.java"
AGENT="${DMM_AGENT_JAR:-$ROOT/dmm-agent/target/dmm-agent.jar}"
PORT=8080

duration=30 warmup=5 threads=2 workloads="64:50,64:400,65536:50" device=tap rounds=1
read -r -a jvm_opts <<<"${WRK_HTTP_JVM_OPTS--Xms1g -Xmx1g -XX:+AlwaysPreTouch}"
die() { echo "wrk-http: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
    case "$1" in
        --duration) duration="${2:?--duration needs seconds}"; shift 2 ;;
        --warmup) warmup="${2:?--warmup needs seconds}"; shift 2 ;;
        --threads) threads="${2:?--threads needs a number}"; shift 2 ;;
        --workloads) workloads="${2:?--workloads needs BYTES:CONNECTIONS,...}"; shift 2 ;;
        --device) device="${2:?--device needs tap or net_tap}"; shift 2 ;;
        --rounds) rounds="${2:?--rounds needs a number}"; shift 2 ;;
        -h|--help) sed -n '2,24p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown option '$1' (see --help)" ;;
    esac
done

# --- what it needs, checked before anything is made
case "$device" in tap|net_tap) ;; *) die "--device must be tap or net_tap, not '$device'" ;; esac
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || die "--rounds must be a positive number, not '$rounds'"
[ "$(id -u)" -eq 0 ] || die "needs root (network namespaces, interfaces, the tap): sudo ./dmm bench wrk-http"
[ -n "${JAVA:-}" ] && [ -x "$JAVA" ] || die "JAVA must name a JDK 25 java: run it as ./dmm bench wrk-http, which finds one"
[ -f "$AGENT" ] || die "$AGENT is missing: ./dmm bench wrk-http builds it (or mvn -DskipTests package -pl dmm-agent -am)"
[ -e /dev/net/tun ] || die "needs /dev/net/tun for the tap: modprobe tun"
for tool in ip:iproute2 wrk:wrk curl:curl; do
    command -v "${tool%%:*}" >/dev/null 2>&1 || die "needs ${tool%%:*}: apt-get install ${tool#*:}"
done

# --- names unique to this run; the /24s depend on the pid, so two runs do not clash
ID=$$
NET=$((ID % 250 + 1))
USER_NS="dmmwrk${ID}u" KERNEL_NS="dmmwrk${ID}k" SERVER_NS="dmmwrk${ID}s"
TAP="dwt${ID}" VETH="dwv${ID}"
USER_SERVER=10.234.$NET.1 USER_CLIENT=10.234.$NET.2
KERNEL_SERVER=10.233.$NET.1 KERNEL_CLIENT=10.233.$NET.2
WORK="$(mktemp -d /tmp/wrk-http.XXXXXX)"
user_pid="" kernel_pid=""
echo "wrk-http: namespaces $USER_NS $KERNEL_NS $SERVER_NS, scratch $WORK"

stop_server() {  # SIGTERM (DPDK's shutdown hooks release the port and EAL files), then SIGKILL
    local pid="$1" i
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.5
}

cleanup() {
    local status=$? ns pid
    trap - EXIT INT TERM
    stop_server "$user_pid"
    stop_server "$kernel_pid"
    for ns in "$USER_NS" "$KERNEL_NS" "$SERVER_NS"; do
        if ip netns list | grep -qw "$ns"; then
            for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
            ip netns delete "$ns" || echo "wrk-http: cleanup: cannot delete namespace $ns" >&2
        fi
    done
    # both ends of the veth go with the namespaces; the tap goes with the server's DPDK port
    ip link delete "$VETH" 2>/dev/null || true
    # a server killed before its shutdown hooks ran leaves its EAL run directory behind
    [ -n "$user_pid" ] && rm -rf "/var/run/dpdk/dmm-$user_pid"
    rm -rf "$WORK"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Waits for a server's "listening" line; fails with its output if it ends or takes over 120 s.
await_listening() {
    local pid="$1" log="$2" i
    for i in $(seq 1 600); do
        grep -q '^listening' "$log.out" 2>/dev/null && return 0
        kill -0 "$pid" 2>/dev/null || { cat "$log.out" "$log.err" >&2; die "the server ($log) ended before it listened"; }
        sleep 0.2
    done
    cat "$log.out" "$log.err" >&2
    die "the server ($log) did not listen within 120 s"
}

# --- the kernel side: a veth pair between the server's namespace and the client's
ip netns add "$SERVER_NS"
ip netns add "$KERNEL_NS"
ip -n "$SERVER_NS" link set lo up
ip -n "$KERNEL_NS" link set lo up
ip link add "$VETH" netns "$SERVER_NS" type veth peer name "${VETH}c" netns "$KERNEL_NS"
ip -n "$SERVER_NS" addr add "$KERNEL_SERVER/24" dev "$VETH"
ip -n "$KERNEL_NS" addr add "$KERNEL_CLIENT/24" dev "${VETH}c"
ip -n "$SERVER_NS" link set "$VETH" up
ip -n "$KERNEL_NS" link set "${VETH}c" up
ip netns exec "$SERVER_NS" "$JAVA" ${jvm_opts[@]+"${jvm_opts[@]}"} "$SERVER_SRC" "$KERNEL_SERVER" "$PORT" >"$WORK/kernel.out" 2>"$WORK/kernel.err" &
kernel_pid=$!

# --- the userspace side: DMM's agent puts every socket of the same server on a userspace stack on
# a tap, whose kernel end is then moved into the client's namespace
head -c 32 /dev/urandom | base64 >"$WORK/dmm.token"
if [ "$device" = tap ]; then
    device_json="{\"driver\": \"tap\", \"interface\": \"$TAP\"}"
else
    device_json="{\"driver\": \"dpdk\", \"port\": \"net_tap_wrk,iface=$TAP\"}"
fi
cat >"$WORK/policy.json" <<EOF
{
  "stacks": [
    {"name": "user", "type": "userspace", "address": "$USER_SERVER/24",
     "device": $device_json${WRK_HTTP_STACK_SETTINGS:+, $WRK_HTTP_STACK_SETTINGS}},
    {"name": "kernel", "type": "kernel"}
  ],
  "default": "user",
  "rules": [{"name": "IPv6, which the userspace stack does not carry", "dst": "::/0", "stack": "kernel"}],
  "management": {"http": {"port": 0, "tokenFile": "dmm.token"}}
}
EOF
ip netns add "$USER_NS"
ip -n "$USER_NS" link set lo up
"$JAVA" ${jvm_opts[@]+"${jvm_opts[@]}"} --enable-native-access=ALL-UNNAMED "-javaagent:$AGENT=config=$WORK/policy.json" "$SERVER_SRC" "$USER_SERVER" "$PORT" \
    >"$WORK/user.out" 2>"$WORK/user.err" &
user_pid=$!
await_listening "$kernel_pid" "$WORK/kernel"
await_listening "$user_pid" "$WORK/user"
ip link set "$TAP" netns "$USER_NS"
ip -n "$USER_NS" addr add "$USER_CLIENT/24" dev "$TAP"
ip -n "$USER_NS" link set "$TAP" up
METRICS="$(sed -n 's/.*DMM HTTP endpoint listening on \(http:[^ ]*\).*/\1/p' "$WORK/user.err" | head -n1)"
[ -n "$METRICS" ] || echo "wrk-http: the agent's HTTP endpoint did not say where it listens: no RTO counts for the userspace stack" >&2
echo "wrk-http: servers up: userspace pid $user_pid ($USER_SERVER), kernel pid $kernel_pid ($KERNEL_SERVER)"

# RTO timeouts so far: the stack's counter (its metrics endpoint), Linux's in the server's namespace
rto_user() {
    [ -n "$METRICS" ] || { echo "?"; return; }
    curl -sf -H "Authorization: Bearer $(cat "$WORK/dmm.token")" "$METRICS/metrics" \
        | awk '/^dmm_stack_counter\{stack="user",counter="tcp_rto_timeouts"\}/ { n = $2 } END { print n + 0 }'
}
rto_kernel() {
    ip netns exec "$SERVER_NS" awk '/^TcpExt:/ { if (!h) { split($0, k); h = 1 } else { for (i = 2; i <= NF; i++) if (k[i] == "TCPTimeouts") print $i } }' /proc/net/netstat
}

# Runs wrk and writes its summary to $WORK/result as "REQ_PER_S P50_MS P99_MS ERRORS" (errors:
# connect, read, write, timeouts and non-2xx responses together). wrk runs in the background and
# the shell waits for it, so a signal stops the run at once (bash defers traps until a foreground
# command ends).
wrk_run() {
    local ns="$1" url="$2" conns="$3" secs="$4"
    ip netns exec "$ns" wrk -t"$threads" -c"$conns" -d"${secs}s" --timeout 2s --latency "$url" >"$WORK/wrk.txt" 2>&1 &
    wait $! || { cat "$WORK/wrk.txt" >&2; die "wrk failed against $url"; }
    # wrk's own summary, for the details (error kinds, the latency spread) under the table's numbers
    sed "s|^|    wrk $ns: |" "$WORK/wrk.txt" >>"$WORK/wrk-all.txt"
    awk '
        function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
        /^ +50%/ { p50 = ms($2) }
        /^ +99%/ { p99 = ms($2) }
        /^Requests\/sec:/ { rps = $2 }
        /Socket errors:/ { gsub(/,/, ""); errors += $4 + $6 + $8 + $10 }
        /Non-2xx or 3xx responses:/ { errors += $NF }
        END { if (rps == "") exit 1; printf "%.0f %.3f %.3f %d\n", rps, p50, p99, errors }
    ' "$WORK/wrk.txt" >"$WORK/result" || { cat "$WORK/wrk.txt" >&2; die "no result in wrk's output for $url"; }
}

echo "wrk-http: wrk -t$threads, ${warmup} s warm-up then ${duration} s per run; kernel first, then userspace (device $device)"
printf '%-14s %6s | %10s %10s %6s | %9s %9s | %9s %9s | %7s %7s | %6s %6s\n' \
    workload conns "kernel/s" "user/s" ratio "k p50 ms" "u p50 ms" "k p99 ms" "u p99 ms" "k errs" "u errs" "k RTO" "u RTO"
IFS=',' read -r -a list <<<"$workloads"
# the median of the numbers on stdin (one per line)
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for w in "${list[@]}"; do
    bytes="${w%%:*}" conns="${w#*:}"
    : >"$WORK/rounds"
    for ((round = 1; round <= rounds; round++)); do
        wrk_run "$KERNEL_NS" "http://$KERNEL_SERVER:$PORT/$bytes" "$conns" "$warmup"
        before="$(rto_kernel)"
        wrk_run "$KERNEL_NS" "http://$KERNEL_SERVER:$PORT/$bytes" "$conns" "$duration"
        read -r k_rps k_p50 k_p99 k_err <"$WORK/result"
        k_rto=$(( $(rto_kernel) - before ))
        wrk_run "$USER_NS" "http://$USER_SERVER:$PORT/$bytes" "$conns" "$warmup"
        before="$(rto_user)"
        wrk_run "$USER_NS" "http://$USER_SERVER:$PORT/$bytes" "$conns" "$duration"
        read -r u_rps u_p50 u_p99 u_err <"$WORK/result"
        after="$(rto_user)"
        u_rto="?"
        [ "$before" != "?" ] && [ "$after" != "?" ] && u_rto=$((after - before))
        ratio="$(awk -v u="$u_rps" -v k="$k_rps" 'BEGIN { printf "%.2f", (k > 0 ? u / k : 0) }')"
        printf '%-14s %6s | %10s %10s %6s | %9s %9s | %9s %9s | %7s %7s | %6s %6s\n' \
            "${bytes} B" "$conns" "$k_rps" "$u_rps" "$ratio" "$k_p50" "$u_p50" "$k_p99" "$u_p99" "$k_err" "$u_err" "$k_rto" "$u_rto"
        echo "$ratio $k_p99 $u_p99" >>"$WORK/rounds"
    done
    if [ "$rounds" -gt 1 ]; then
        printf '  median of %d rounds: ratio %s, p99 %s ms (kernel) %s ms (userspace)\n' "$rounds" \
            "$(awk '{ print $1 }' "$WORK/rounds" | median)" "$(awk '{ print $2 }' "$WORK/rounds" | median)" \
            "$(awk '{ print $3 }' "$WORK/rounds" | median)"
    fi
done
if [ -n "${WRK_HTTP_VERBOSE:-}" ]; then
    echo "wrk-http: wrk's output of every run (warm-ups included):"
    cat "$WORK/wrk-all.txt"
fi
